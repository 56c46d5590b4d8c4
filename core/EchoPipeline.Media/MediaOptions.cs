namespace EchoPipeline.Media;

/// <summary>Where FFmpeg lives and which inputs the pipeline accepts.</summary>
public sealed class MediaOptions
{
    /// <summary>The ffmpeg executable: a bare name is looked up on PATH.</summary>
    public string FfmpegPath { get; set; } = "ffmpeg";

    /// <summary>The ffprobe executable: a bare name is looked up on PATH.</summary>
    public string FfprobePath { get; set; } = "ffprobe";

    /// <summary>Wall-clock limit for one ffmpeg/ffprobe run; the process tree is killed past it.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Largest input file accepted, checked before ffprobe reads it.</summary>
    public long MaxBytes { get; set; } = 4L * 1024 * 1024 * 1024;

    /// <summary>Longest video accepted (each ~9.85 s window becomes one generated segment).</summary>
    public double MaxDurationSeconds { get; set; } = 4 * 60 * 60;

    /// <summary>Largest width x height accepted (default 8K UHD, 7680x4320).</summary>
    public long MaxPixels { get; set; } = 7680L * 4320;

    /// <summary>Most elongated frame accepted (long side / short side); a centre crop of anything thinner is meaningless.</summary>
    public double MaxAspectRatio { get; set; } = 8;

    /// <summary>Most bytes one run may write to memory through stdout, so a runaway command cannot exhaust it.</summary>
    public int MaxOutputBytes { get; set; } = 64 * 1024 * 1024;
}
