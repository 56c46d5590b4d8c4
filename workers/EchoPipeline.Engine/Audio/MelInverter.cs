namespace EchoPipeline.Engine.Audio;

/// <summary>
/// Linear STFT magnitudes from mel magnitudes: the non-negative S minimising ||W S - mel||² by Lee–Seung
/// multiplicative updates S ← S ⊙ (Wᵀ mel) / (Wᵀ W S), which keep S ≥ 0 without clamping (librosa's mel_to_stft
/// solves the same problem with L-BFGS-B). The start spreads each mel value evenly over its filter's band, so a
/// few tens of updates suffice. Bins no filter covers (below fMin, above fMax) stay zero. Thread-safe.
/// </summary>
public sealed class MelInverter
{
    private readonly SlaneyMelFilterbank _filterbank;
    private readonly double[] _rowSums;
    private readonly double[] _columnSums;

    public MelInverter(SlaneyMelFilterbank filterbank, int iterations)
    {
        ArgumentNullException.ThrowIfNull(filterbank);
        ArgumentOutOfRangeException.ThrowIfNegative(iterations);
        _filterbank = filterbank;
        Iterations = iterations;
        _rowSums = new double[filterbank.MelBins];
        for (var m = 0; m < _rowSums.Length; m++)
        {
            foreach (var w in filterbank.Row(m))
            {
                _rowSums[m] += w;
            }
        }

        _columnSums = new double[filterbank.FrequencyBins];
        filterbank.ApplyTransposed(Enumerable.Repeat(1.0, filterbank.MelBins).ToArray(), _columnSums);
    }

    public int Iterations { get; }

    /// <summary>mel is row-major [frames, MelBins]; magnitude receives [frames, FrequencyBins].</summary>
    public void Invert(ReadOnlySpan<double> mel, Span<double> magnitude)
    {
        int melBins = _filterbank.MelBins, bins = _filterbank.FrequencyBins;
        var frames = mel.Length / melBins;
        if (mel.Length % melBins != 0 || magnitude.Length != frames * bins)
        {
            throw new ArgumentException(
                $"Mel must be whole frames of {melBins} and magnitude {bins} per frame; got {mel.Length} and {magnitude.Length} values.");
        }

        var spread = new double[melBins];
        var numerator = new double[bins];
        var estimate = new double[melBins];
        var denominator = new double[bins];
        for (var t = 0; t < frames; t++)
        {
            var target = mel.Slice(t * melBins, melBins);
            var s = magnitude.Slice(t * bins, bins);
            for (var m = 0; m < melBins; m++)
            {
                spread[m] = _rowSums[m] > 0 ? target[m] / _rowSums[m] : 0;
            }

            _filterbank.ApplyTransposed(spread, s);
            _filterbank.ApplyTransposed(target, numerator);
            for (var k = 0; k < bins; k++)
            {
                s[k] = _columnSums[k] > 0 ? s[k] / _columnSums[k] : 0;
            }

            for (var i = 0; i < Iterations; i++)
            {
                _filterbank.Apply(s, estimate);
                _filterbank.ApplyTransposed(estimate, denominator);
                for (var k = 0; k < bins; k++)
                {
                    s[k] = denominator[k] > 0 ? s[k] * numerator[k] / denominator[k] : 0;
                }
            }
        }
    }
}
