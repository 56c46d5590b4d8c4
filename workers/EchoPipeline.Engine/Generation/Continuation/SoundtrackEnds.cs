namespace EchoPipeline.Engine.Generation.Continuation;

/// <summary>
/// Cuts generated audio to the length of what it scores and ends it with a short fade-out rather than a click. The
/// engine trims before the watermark goes on (so the mark covers exactly the soundtrack) and fades after it (so the
/// soundtrack really ends in silence, the mark's last tenth of a second included).
/// </summary>
public static class SoundtrackEnds
{
    /// <summary>The fade-out at the end of a trimmed soundtrack, in seconds.</summary>
    public const double FadeOutSeconds = 0.1;

    /// <summary>The first <paramref name="length"/> samples (zero-padded if there are fewer).</summary>
    public static float[] Trim(ReadOnlySpan<float> waveform, long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, Array.MaxLength);
        var trimmed = new float[length];
        waveform[..(int)Math.Min(waveform.Length, length)].CopyTo(trimmed);
        return trimmed;
    }

    /// <summary>Fades the last <see cref="FadeOutSeconds"/> (or all, if shorter) linearly to silence, in place.</summary>
    public static void FadeOut(Span<float> waveform, int sampleRate)
    {
        var fade = (int)Math.Min(waveform.Length, Math.Round(FadeOutSeconds * sampleRate));
        var start = waveform.Length - fade;
        for (var i = 0; i < fade; i++)
        {
            waveform[start + i] *= (fade - i - 0.5f) / fade;
        }
    }
}
