namespace EchoPipeline.Media;

/// <summary>
/// One stretch of a video that gets one generated window of audio, conditioned on the frame at <see cref="FrameSeconds"/>.
/// <see cref="StartsShot"/>: the window starts afresh at a cut (or the video's start) instead of continuing the previous one.
/// </summary>
public readonly record struct Segment(int Index, double StartSeconds, double EndSeconds, double FrameSeconds, bool StartsShot = true)
{
    public double DurationSeconds => EndSeconds - StartSeconds;

    public TimeSpan FrameTime => TimeSpan.FromSeconds(FrameSeconds);
}
