using System.Buffers;
using EchoPipeline.Provenance.Dsp;

namespace EchoPipeline.Engine.Audio;

/// <summary>
/// Linear STFT magnitudes from mel magnitudes: the non-negative S minimising ||W S - mel||² by Lee–Seung
/// multiplicative updates S ← S ⊙ (Wᵀ mel) / (Wᵀ W S), which keep S ≥ 0 without clamping (librosa's mel_to_stft
/// solves the same problem with L-BFGS-B). The start spreads each mel value evenly over its filter's band, so a
/// few tens of updates suffice. Bins no filter covers (below fMin, above fMax) stay zero. Frames are independent and
/// run in parallel. Thread-safe.
/// </summary>
public sealed class MelInverter
{
    private readonly SlaneyMelFilterbank _filterbank;
    private readonly double[] _rowSums;
    private readonly double[] _columnSums;

    /// <param name="maxDegreeOfParallelism">Threads the frames may use (-1: as many as the thread pool gives); the
    /// result does not depend on it.</param>
    public MelInverter(SlaneyMelFilterbank filterbank, int iterations, int maxDegreeOfParallelism = -1)
    {
        ArgumentNullException.ThrowIfNull(filterbank);
        ArgumentOutOfRangeException.ThrowIfNegative(iterations);
        _filterbank = filterbank;
        Iterations = iterations;
        MaxDegreeOfParallelism = maxDegreeOfParallelism;
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

    public int MaxDegreeOfParallelism { get; }

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

        // Frames run on pool threads, which cannot see spans: work on pooled copies.
        var melCopy = ArrayPool<double>.Shared.Rent(mel.Length);
        var result = ArrayPool<double>.Shared.Rent(magnitude.Length);
        mel.CopyTo(melCopy);
        FrameRanges.For(frames, MaxDegreeOfParallelism, (first, end) => InvertFrames(melCopy, result, first, end));
        result.AsSpan(0, magnitude.Length).CopyTo(magnitude);
        ArrayPool<double>.Shared.Return(melCopy);
        ArrayPool<double>.Shared.Return(result);
    }

    private void InvertFrames(double[] mel, double[] magnitude, int firstFrame, int endFrame)
    {
        int melBins = _filterbank.MelBins, bins = _filterbank.FrequencyBins;
        var scratch = ArrayPool<double>.Shared.Rent(2 * (melBins + bins));
        Span<double> spread = scratch.AsSpan(0, melBins), estimate = scratch.AsSpan(melBins, melBins);
        Span<double> numerator = scratch.AsSpan(2 * melBins, bins), denominator = scratch.AsSpan((2 * melBins) + bins, bins);
        for (var t = firstFrame; t < endFrame; t++)
        {
            var target = mel.AsSpan(t * melBins, melBins);
            var s = magnitude.AsSpan(t * bins, bins);
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

        ArrayPool<double>.Shared.Return(scratch);
    }
}
