namespace EchoPipeline.Media;

/// <summary>
/// A mel spectrogram as the engine computes it (SpecVQGAN front end): row-major [<see cref="Bins"/>, <see cref="Frames"/>]
/// with bin 0 the lowest band, values in [0, 1] (-80..+20 dB), one frame every <see cref="HopLength"/> samples, bands
/// spaced on the Slaney mel scale between <see cref="MinHz"/> and <see cref="MaxHz"/>.
/// </summary>
public sealed class MelSpectrogram
{
    public MelSpectrogram(float[] values, int bins, int frames, int sampleRate, int hopLength, double minHz, double maxHz)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bins);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frames);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hopLength);
        if (values.Length != (long)bins * frames)
        {
            throw new ArgumentException($"A {bins}x{frames} mel holds {(long)bins * frames} values, not {values.Length}.", nameof(values));
        }

        if (!(minHz >= 0) || !(maxHz > minHz))
        {
            throw new ArgumentOutOfRangeException(nameof(maxHz), $"Need 0 <= minHz < maxHz (are {minHz}, {maxHz}).");
        }

        (Values, Bins, Frames, SampleRate, HopLength, MinHz, MaxHz) = (values, bins, frames, sampleRate, hopLength, minHz, maxHz);
    }

    public float[] Values { get; }

    public int Bins { get; }

    public int Frames { get; }

    public int SampleRate { get; }

    public int HopLength { get; }

    public double MinHz { get; }

    public double MaxHz { get; }

    public double FramesPerSecond => (double)SampleRate / HopLength;

    /// <summary>
    /// Where <paramref name="hz"/> falls on the bin axis, fractionally: band b is centred on the (b+1)-th of
    /// Bins + 2 points spaced evenly in Slaney mels from MinHz to MaxHz.
    /// </summary>
    public double BinOf(double hz)
    {
        var (low, high) = (SlaneyMel(MinHz), SlaneyMel(MaxHz));
        return ((SlaneyMel(hz) - low) / (high - low) * (Bins + 1)) - 1;
    }

    /// <summary>Slaney's mel scale (librosa's default, htk=False): linear below 1 kHz (3 mels per 200 Hz), logarithmic above.</summary>
    internal static double SlaneyMel(double hz)
    {
        const double LinearStep = 200.0 / 3, BreakHz = 1000, BreakMel = BreakHz / LinearStep;
        var logStep = Math.Log(6.4) / 27;
        return hz < BreakHz ? hz / LinearStep : BreakMel + (Math.Log(hz / BreakHz) / logStep);
    }
}
