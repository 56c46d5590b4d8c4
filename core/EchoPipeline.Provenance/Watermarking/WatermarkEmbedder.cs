using EchoPipeline.Provenance.Dsp;

namespace EchoPipeline.Provenance.Watermarking;

/// <summary>What embedding did: the payload, the key and the energy ratio of original to mark.</summary>
public sealed record WatermarkEmbedding(WatermarkPayload Payload, string KeyId, double SnrDb);

/// <summary>
/// Adds the keyed mark to a waveform at <see cref="WatermarkScheme.SampleRate"/>: the periodic keyed sequence (pilot
/// plus the payload's shifted symbol sequences) filtered, frame by frame, to follow the original's loudness and,
/// half-way in decibels, its broad spectral envelope; then scaled so the whole mark sits exactly
/// <see cref="WatermarkScheme.TargetSnrDb"/> below the original. A pure function: equal inputs give equal samples.
/// </summary>
public static class WatermarkEmbedder
{
    /// <summary>
    /// Bins either side over which the original's power is averaged before shaping (+-1.4 kHz, about the reach of
    /// upward masking): the mark follows the envelope, not individual partials, so it never turns into a tone.
    /// </summary>
    internal const int EnvelopeHalfWidthBins = 64;

    /// <summary>
    /// In quiet frames the mark stays at least this far (dB) below the loudest frame's level minus the SNR, with a flat
    /// spectrum where the original has none: 76 dB under the loudest passage, at or below a 16-bit file's own noise
    /// floor. Without it a clip that is one short blip in silence (the demo bundle makes some) carries the mark only
    /// during the blip, too little to find (measured: docs/provenance.md); with it the silence carries it too.
    /// </summary>
    internal const double SilenceFloorDb = 40;

    public static float[] Embed(ReadOnlyMemory<float> original, WatermarkKey key, WatermarkPayload payload, out WatermarkEmbedding embedding)
    {
        var marked = new float[original.Length];
        embedding = Embed(original, marked, key, payload);
        return marked;
    }

    /// <summary>
    /// Writes original + mark into <paramref name="marked"/> (which may be <paramref name="original"/> itself), on up
    /// to <paramref name="maxDegreeOfParallelism"/> threads (-1: one per processor): the same samples to the last bit
    /// on any number.
    /// </summary>
    public static WatermarkEmbedding Embed(
        ReadOnlyMemory<float> original, Memory<float> marked, WatermarkKey key, WatermarkPayload payload, int maxDegreeOfParallelism = -1)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (marked.Length != original.Length)
        {
            throw new ArgumentException($"The destination holds {marked.Length} samples, the original {original.Length}.", nameof(marked));
        }

        if (maxDegreeOfParallelism is 0 or < -1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxDegreeOfParallelism), maxDegreeOfParallelism, "Use -1 (one thread per processor) or a positive count.");
        }

        var mark = ShapedMark(original, key, payload, maxDegreeOfParallelism);
        var source = original.Span;
        var destination = marked.Span;
        double originalEnergy = 0, markEnergy = 0;
        for (var n = 0; n < source.Length; n++)
        {
            originalEnergy += (double)source[n] * source[n];
            markEnergy += mark[n] * mark[n];
        }

        var scale = markEnergy > 0 ? Math.Sqrt(originalEnergy * Math.Pow(10, -WatermarkScheme.TargetSnrDb / 10) / markEnergy) : 0;
        double differenceEnergy = 0;
        for (var n = 0; n < source.Length; n++)
        {
            var before = source[n];
            destination[n] = (float)(before + (scale * mark[n]));
            var difference = (double)destination[n] - before;
            differenceEnergy += difference * difference;
        }

        var snr = differenceEnergy > 0 ? 10 * Math.Log10(originalEnergy / differenceEnergy) : double.PositiveInfinity;
        return new WatermarkEmbedding(payload, key.Id, snr);
    }

    /// <summary>One period of the unscaled mark sequence: pilot plus each symbol's sequence shifted by its symbol.</summary>
    internal static double[] PeriodSequence(WatermarkKey key, WatermarkPayload payload)
    {
        const int period = WatermarkScheme.Period;
        var symbols = PayloadCode.Encode(payload);
        var sequence = new double[period];
        var pilot = key.Pilot.Samples;
        for (var m = 0; m < period; m++)
        {
            sequence[m] = WatermarkScheme.PilotAmplitude * pilot[m];
        }

        for (var i = 0; i < symbols.Length; i++)
        {
            var samples = key.Sequences[1 + i].Samples;
            var shift = symbols[i] * WatermarkScheme.SymbolSpacing;
            for (var m = 0; m < period; m++)
            {
                sequence[m] += WatermarkScheme.SymbolAmplitude * samples[(m - shift + period) % period];
            }
        }

        return sequence;
    }

    /// <summary>The keyed sequence tiled over the waveform and filtered frame by frame (before the final scaling).</summary>
    private static double[] ShapedMark(ReadOnlyMemory<float> original, WatermarkKey key, WatermarkPayload payload, int maxDegreeOfParallelism)
    {
        var n = original.Length;
        var mark = new double[n];
        var frames = SqrtHannFrames.FrameCount(n);
        if (frames == 0)
        {
            return mark;
        }

        var gains = FrameGains(original, frames, maxDegreeOfParallelism);
        var sequence = new TiledSequenceSpectra(PeriodSequence(key, payload), n);
        var bandBins = WatermarkScheme.FrameBandHigh - WatermarkScheme.FrameBandLow + 1;

        // Over frame pairs; a pair's frames reach half a frame into each neighbouring pair's samples, hence alternating.
        FrameRanges.ForAlternating((frames + 1) / 2, maxDegreeOfParallelism, (fromPair, toPair) =>
        {
            var transform = new SqrtHannFrames();
            var (first, second) = (new Spectrum(), new Spectrum());
            var segment = TiledSequenceSpectra.NewSegment();
            for (var t = 2 * fromPair; t < 2 * toPair; t += 2)
            {
                sequence.CopyTo(t, first, second, transform, segment);
                ApplyGains(first, gains.AsSpan(t * bandBins, bandBins));
                if (t + 1 < frames)
                {
                    ApplyGains(second, gains.AsSpan((t + 1) * bandBins, bandBins));
                }
                else
                {
                    second.Clear();
                }

                transform.SynthesizeAdd(first, second, t, mark);
            }
        });

        return mark;
    }

    /// <summary>
    /// Per frame and band bin, the amplitude gain that gives the mark a power spectrum proportional to the square root
    /// of the smoothed envelope and a total power proportional to the frame's own (both smoothed over the neighbouring
    /// frames, and not below <see cref="SilenceFloorDb"/> under the loudest frame), so the mark is loud where the
    /// original is loud and nearly silent where it is silent.
    /// </summary>
    /// <remarks>
    /// The square root is the exponent gamma = 1/2 between 0 (flat in the band) and 1 (the original's shape): it keeps
    /// most of the mark near the sound that masks it and leaves enough where the original is weak for the mark to
    /// survive added noise and codecs (measured: docs/provenance.md). Math.Sqrt, not Math.Pow(x, 0.5): IEEE 754 rounds
    /// a square root exactly, so the mark's bits do not depend on the platform's pow (and it is cheaper).
    /// </remarks>
    private static float[] FrameGains(ReadOnlyMemory<float> original, int frames, int maxDegreeOfParallelism)
    {
        var (low, high) = (WatermarkScheme.FrameBandLow, WatermarkScheme.FrameBandHigh);
        var bandBins = high - low + 1;
        var envelope = new float[frames * bandBins];
        var energy = new double[frames];
        FrameRanges.For((frames + 1) / 2, maxDegreeOfParallelism, (fromPair, toPair) =>
        {
            var transform = new SqrtHannFrames();
            var (first, second) = (new Spectrum(), new Spectrum());
            var prefix = new double[SqrtHannFrames.Bins + 1];
            for (var t = 2 * fromPair; t < 2 * toPair; t += 2)
            {
                transform.Analyze(original.Span, t, first, second);
                for (var f = t; f < Math.Min(t + 2, frames); f++)
                {
                    var spectrum = f == t ? first : second;
                    for (var k = 0; k < SqrtHannFrames.Bins; k++)
                    {
                        prefix[k + 1] = prefix[k] + (spectrum.Re[k] * spectrum.Re[k]) + (spectrum.Im[k] * spectrum.Im[k]);
                    }

                    energy[f] = prefix[SqrtHannFrames.Bins];
                    for (var k = low; k <= high; k++)
                    {
                        var from = Math.Max(0, k - EnvelopeHalfWidthBins);
                        var to = Math.Min(SqrtHannFrames.Bins - 1, k + EnvelopeHalfWidthBins);
                        envelope[(f * bandBins) + k - low] = (float)((prefix[to + 1] - prefix[from]) / (to - from + 1));
                    }
                }
            }
        });

        var smoothedEnergy = new double[frames];
        for (var t = 0; t < frames; t++)
        {
            var (from, to) = (Math.Max(0, t - 1), Math.Min(frames - 1, t + 1));
            for (var f = from; f <= to; f++)
            {
                smoothedEnergy[t] += energy[f];
            }

            smoothedEnergy[t] /= to - from + 1;
        }

        var floor = smoothedEnergy.Max() * Math.Pow(10, -SilenceFloorDb / 10);
        var gains = new float[frames * bandBins];
        FrameRanges.For(frames, maxDegreeOfParallelism, (fromFrame, toFrame) =>
        {
            var shaped = new double[bandBins];
            for (var t = fromFrame; t < toFrame; t++)
            {
                var (from, to) = (Math.Max(0, t - 1), Math.Min(frames - 1, t + 1));
                var frameEnergy = Math.Max(smoothedEnergy[t], floor);
                double shapedSum = 0;

                for (var j = 0; j < bandBins; j++)
                {
                    double power = 0;
                    for (var f = from; f <= to; f++)
                    {
                        power += envelope[(f * bandBins) + j];
                    }

                    shaped[j] = Math.Sqrt(power / (to - from + 1));
                    shapedSum += shaped[j];
                }

                if (frameEnergy <= 0)
                {
                    continue;
                }

                if (shapedSum <= 0)
                {
                    // Digital silence: nothing to follow, so flat.
                    Array.Fill(shaped, 1.0);
                    shapedSum = bandBins;
                }

                for (var j = 0; j < bandBins; j++)
                {
                    gains[(t * bandBins) + j] = (float)Math.Sqrt(shaped[j] / shapedSum * frameEnergy);
                }
            }
        });

        return gains;
    }

    private static void ApplyGains(Spectrum spectrum, ReadOnlySpan<float> gains)
    {
        var low = WatermarkScheme.FrameBandLow;
        for (var k = 0; k < SqrtHannFrames.Bins; k++)
        {
            var j = k - low;
            var gain = (uint)j < (uint)gains.Length ? gains[j] : 0;
            spectrum.Re[k] *= gain;
            spectrum.Im[k] *= gain;
        }
    }
}
