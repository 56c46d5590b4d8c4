namespace EchoPipeline.Media;

/// <summary>Where FFmpeg lives, which inputs the pipeline accepts and how long the tools may run.</summary>
/// <remarks>Checked by <see cref="MediaOptionsValidator"/> when the host starts (<see cref="MediaServiceCollectionExtensions"/>).</remarks>
public sealed class MediaOptions
{
    /// <summary>The ffmpeg executable: a bare <c>ffmpeg</c> is looked up on PATH, otherwise a path ending in <c>/ffmpeg</c>.</summary>
    public string FfmpegPath { get; set; } = "ffmpeg";

    /// <summary>The ffprobe executable, in the same folder as <see cref="FfmpegPath"/> (FFMpegCore takes one folder for both).</summary>
    public string FfprobePath { get; set; } = "ffprobe";

    /// <summary>Wall-clock limit for one ffmpeg/ffprobe run; the process is killed past it.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Wall-clock limit for all the runs on one <see cref="MediaWorkspace"/> (one job's probe, frames and muxes).</summary>
    public TimeSpan JobTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Largest input file accepted, checked before ffprobe reads it.</summary>
    public long MaxBytes { get; set; } = 4L * 1024 * 1024 * 1024;

    /// <summary>Longest video accepted (each ~9.85 s window becomes one generated segment).</summary>
    public double MaxDurationSeconds { get; set; } = 4 * 60 * 60;

    /// <summary>
    /// Largest width x height accepted (default 8K UHD, 7680x4320): checked on the probed stream, handed to FFmpeg's
    /// decoders (<c>-max_pixels</c>) and checked again on every decoded frame before ImageSharp reads it.
    /// </summary>
    public long MaxPixels { get; set; } = 7680L * 4320;

    /// <summary>
    /// Read plain still PNGs and JPEGs with ImageSharp in process (<see cref="InProcessStills"/>) instead of an ffprobe
    /// and an ffmpeg process each; false sends every input through FFmpeg, as before.
    /// </summary>
    public bool DecodeStillsInProcess { get; set; } = true;

    /// <summary>Most elongated frame accepted (long side / short side); a centre crop of anything thinner is meaningless.</summary>
    public double MaxAspectRatio { get; set; } = 8;
}
