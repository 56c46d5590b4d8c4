namespace EchoPipeline.Media;

/// <summary>What ffprobe found in an accepted input.</summary>
/// <param name="ContainerFormat">ffprobe's <c>format_name</c>, e.g. <c>mov,mp4,m4a,3gp,3g2,mj2</c> or <c>png_pipe</c>.</param>
/// <param name="DurationSeconds">Null for still images and for containers that do not say.</param>
public sealed record MediaInfo(
    string Path, long SizeBytes, string ContainerFormat, double? DurationSeconds,
    VideoStreamInfo Video, bool HasAudio, bool IsStillImage)
{
    /// <summary>Where the middle frame is: half the duration, 0 for still images or unknown durations.</summary>
    public TimeSpan Middle => TimeSpan.FromSeconds(IsStillImage ? 0 : (DurationSeconds ?? 0) / 2);
}
