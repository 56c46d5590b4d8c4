using System.Globalization;
using System.Runtime.InteropServices;

namespace EchoPipeline.Media;

/// <summary>Decodes any audio FFmpeg reads into mono float samples at the model's rate (audio-to-image, inpainting).</summary>
public sealed class AudioDecoder
{
    private readonly FfmpegRunner _runner;

    public AudioDecoder(FfmpegRunner runner)
    {
        ArgumentNullException.ThrowIfNull(runner);
        _runner = runner;
    }

    /// <summary>The first audio stream, downmixed and resampled; at most <paramref name="maxSeconds"/> of it.</summary>
    public async Task<float[]> DecodeMonoAsync(string path, int sampleRate, double maxSeconds, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxSeconds);
        string[] arguments =
        [
            "-v", "error", "-i", MediaPath.ToUrl(path), "-map", "0:a:0", "-t", maxSeconds.ToString("0.######", CultureInfo.InvariantCulture),
            "-ac", "1", "-ar", sampleRate.ToString(CultureInfo.InvariantCulture), "-f", "f32le", "pipe:1",
        ];
        var bytes = await _runner.RunAsync(MediaTool.Ffmpeg, arguments, path, cancellationToken: cancellationToken);
        return bytes.Length >= sizeof(float)
            ? MemoryMarshal.Cast<byte, float>(bytes.AsSpan(0, bytes.Length - (bytes.Length % sizeof(float)))).ToArray()
            : throw new MediaException(MediaErrorCode.NoAudioStream, $"'{path}' has no audio FFmpeg can decode.", path);
    }
}
