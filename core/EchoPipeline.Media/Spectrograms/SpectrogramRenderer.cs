namespace EchoPipeline.Media;

/// <summary>Draws an audio file's spectrogram as PNG with FFmpeg's showspectrumpic (time left to right, 0 Hz at the bottom).</summary>
public sealed class SpectrogramRenderer
{
    private readonly FfmpegRunner _runner;

    public SpectrogramRenderer(FfmpegRunner runner)
    {
        ArgumentNullException.ThrowIfNull(runner);
        _runner = runner;
    }

    /// <summary>A <paramref name="width"/> x <paramref name="height"/> PNG without legend, log-scaled intensity.</summary>
    public Task<byte[]> RenderAsync(string audioPath, int width = 1024, int height = 512, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(audioPath);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 16);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 16);
        return _runner.RunAsync(MediaTool.Ffmpeg,
            [
                "-v", "error", "-i", MediaPath.ToUrl(audioPath), "-lavfi", $"showspectrumpic=s={width}x{height}:legend=0",
                "-frames:v", "1", "-c:v", "png", "-f", "image2pipe", "pipe:1",
            ],
            audioPath, cancellationToken: cancellationToken);
    }
}
