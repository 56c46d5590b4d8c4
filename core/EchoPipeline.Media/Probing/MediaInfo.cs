namespace EchoPipeline.Media;

/// <summary>
/// What ffprobe (or, for a plain PNG or JPEG, <see cref="InProcessStills"/>) found in an accepted input; only
/// <see cref="MediaProbe"/> makes one.
/// </summary>
public sealed class MediaInfo
{
    internal MediaInfo(
        MediaInput input, string containerFormat, double? durationSeconds, VideoStreamInfo video, bool hasAudio, bool isStillImage, Frame? stillFrame = null)
    {
        StillFrame = stillFrame;
        Input = input;
        ContainerFormat = containerFormat;
        DurationSeconds = durationSeconds;
        Video = video;
        HasAudio = hasAudio;
        IsStillImage = isStillImage;
    }

    public MediaInput Input { get; }

    /// <summary>The caller's name for the input, as in error messages.</summary>
    public string Source => Input.Source;

    public long SizeBytes => Input.SizeBytes;

    /// <summary>ffprobe's <c>format_name</c>, e.g. <c>mov,mp4,m4a,3gp,3g2,mj2</c> or <c>png_pipe</c>.</summary>
    public string ContainerFormat { get; }

    /// <summary>Null for still images and for containers that do not say.</summary>
    public double? DurationSeconds { get; }

    public VideoStreamInfo Video { get; }

    public bool HasAudio { get; }

    public bool IsStillImage { get; }

    /// <summary>True when the picture was read in process and its frame is already made: no FFmpeg runs for it.</summary>
    public bool DecodedInProcess => StillFrame is not null;

    /// <summary>The 256x256 frame of a still image read in process (<see cref="InProcessStills"/>); null otherwise.</summary>
    internal Frame? StillFrame { get; }

    /// <summary>Where the middle frame is: half the duration, 0 for still images or unknown durations.</summary>
    public TimeSpan Middle => TimeSpan.FromSeconds(IsStillImage ? 0 : (DurationSeconds ?? 0) / 2);

    /// <summary>The demuxer every later run forces with <c>-f</c>.</summary>
    internal string Demuxer => DemuxerAllowlist.DemuxerOf(ContainerFormat);
}
