namespace EchoPipeline.Media;

/// <summary>One stretch of a video that gets one generated window of audio, conditioned on the frame at <see cref="FrameSeconds"/>.</summary>
public readonly record struct Segment(int Index, double StartSeconds, double EndSeconds, double FrameSeconds)
{
    public double DurationSeconds => EndSeconds - StartSeconds;

    public TimeSpan FrameTime => TimeSpan.FromSeconds(FrameSeconds);
}
