namespace EchoPipeline.Media;

/// <summary>Encodes a <see cref="Frame"/> as PNG with FFmpeg (the project has no image library).</summary>
public sealed class FramePngEncoder
{
    private static readonly string[] Arguments =
    [
        "-v", "error", "-f", "rawvideo", "-pix_fmt", "rgb24", "-video_size", $"{Frame.Size}x{Frame.Size}", "-i", "pipe:0",
        "-frames:v", "1", "-c:v", "png", "-f", "image2pipe", "pipe:1",
    ];

    private readonly FfmpegRunner _runner;

    public FramePngEncoder(FfmpegRunner runner)
    {
        ArgumentNullException.ThrowIfNull(runner);
        _runner = runner;
    }

    public Task<byte[]> EncodeAsync(Frame frame, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(frame);
        return _runner.RunAsync(MediaTool.Ffmpeg, Arguments, $"frame at {frame.Timestamp.TotalSeconds:0.###} s",
            frame.Rgb24, cancellationToken);
    }
}
