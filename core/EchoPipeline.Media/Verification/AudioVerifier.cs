using System.Globalization;
using EchoPipeline.Provenance.Watermarking;

namespace EchoPipeline.Media;

/// <summary>
/// Watermark verification of one staged file, the single code path of `echopipe verify` and the VerifyAudio function:
/// the first audio stream decoded through <see cref="AudioDecoder"/> (sound allowlist, mono, at the mark's rate, at most
/// <c>maxSeconds</c>), then <see cref="WatermarkDetector"/> with every key given (current first, then retired ones).
/// </summary>
public sealed class AudioVerifier(AudioDecoder decoder)
{
    /// <summary>Below this the mark's period is barely covered: refuse rather than guess.</summary>
    public const double MinimumSeconds = 1.0;

    /// <exception cref="MediaException">The file cannot be decoded (its code), or has under <see cref="MinimumSeconds"/> of audio (<c>too_short</c>).</exception>
    public async Task<AudioVerification> VerifyAsync(MediaInput input, IReadOnlyList<WatermarkKey> keys, double maxSeconds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSeconds, MinimumSeconds);
        var audio = await decoder.DecodeAsync(input, WatermarkScheme.SampleRate, maxSeconds, cancellationToken).ConfigureAwait(false);
        var seconds = (double)audio.Samples.Length / WatermarkScheme.SampleRate;
        if (seconds < MinimumSeconds)
        {
            throw new MediaException(MediaErrorCode.TooShort,
                string.Create(CultureInfo.InvariantCulture, $"{seconds:F2} s of audio; the watermark needs at least {MinimumSeconds:F0} s."), input.Source);
        }

        var detection = WatermarkDetector.Detect(audio.Samples, keys);
        return new AudioVerification(audio, detection, keys.First(k => k.Id == detection.KeyId));
    }
}

/// <summary>What verification found: the decoded audio's facts and tags, the detector's verdict and the key it names.</summary>
public sealed record AudioVerification(DecodedAudio Audio, WatermarkDetection Detection, WatermarkKey Key);
