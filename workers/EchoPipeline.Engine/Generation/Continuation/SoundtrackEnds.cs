namespace EchoPipeline.Engine.Generation.Continuation;

/// <summary>Cuts generated audio to the length of what it scores, ending with a short fade-out rather than a click.</summary>
public static class SoundtrackEnds
{
    /// <summary>The fade-out at the end of a trimmed soundtrack, in seconds.</summary>
    public const double FadeOutSeconds = 0.1;

    /// <summary>The first <paramref name="length"/> samples (zero-padded if fewer), the last ones faded out linearly to silence.</summary>
    public static float[] Fit(ReadOnlySpan<float> waveform, long length, int sampleRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, Array.MaxLength);
        var fitted = new float[length];
        waveform[..(int)Math.Min(waveform.Length, length)].CopyTo(fitted);
        var fade = (int)Math.Min(length, Math.Round(FadeOutSeconds * sampleRate));
        for (var i = 0; i < fade; i++)
        {
            fitted[length - fade + i] *= (fade - i - 0.5f) / fade;
        }

        return fitted;
    }
}
