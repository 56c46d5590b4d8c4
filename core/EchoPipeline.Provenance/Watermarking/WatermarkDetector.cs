using EchoPipeline.Provenance.Dsp;

namespace EchoPipeline.Provenance.Watermarking;

/// <summary>
/// Finds the mark in a waveform at <see cref="WatermarkScheme.SampleRate"/> without the original and without knowing
/// where the audio was cut: (1) whitening: every short-time spectrum bin in the band is divided by the local
/// magnitude (3 bins x 3 frames), so loud partials of the original stop drowning the noise-like mark and any gain
/// or equalisation drops out; (2) folding: the whitened signal is summed modulo the period, adding the mark's copies
/// coherently; (3) the circular cross-correlation with each keyed sequence at every lag in one FFT, normalised so that
/// for audio independent of the key every lag is a unit-variance sub-Gaussian variable. The pilot's best lag gives
/// presence and synchronisation; the symbols are read at shifts relative to it. Cost: about one STFT and a few
/// 16384-point FFTs.
/// </summary>
public static class WatermarkDetector
{
    /// <summary>Below this level relative to the audio's mean the whitening divides by a constant (silence stays silent).</summary>
    private const double WhiteningFloor = 1e-3;

    private static readonly ComplexFft PeriodFft = new(WatermarkScheme.Period);

    public static WatermarkDetection Detect(ReadOnlySpan<float> samples, WatermarkKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Detect(samples, [key]);
    }

    /// <summary>
    /// Tries each key (the current one and those retired by a rotation) on one whitening and fold, and reports the key
    /// whose pilot correlates best. Each extra key is another <see cref="WatermarkScheme.Period"/> lags searched, so the
    /// false-alarm bound grows with <see cref="WatermarkDetection.KeysTried"/> (the union bound); the threshold stays.
    /// </summary>
    public static WatermarkDetection Detect(ReadOnlySpan<float> samples, IReadOnlyList<WatermarkKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentOutOfRangeException.ThrowIfZero(keys.Count);
        var duration = (double)samples.Length / WatermarkScheme.SampleRate;
        var whitened = Whiten(samples);
        var fft = PeriodFft;
        // Two folds (WatermarkScheme.FoldsPerKey): every sample alike, and every hop weighted by how far its loudness
        // stands above the file's median (LoudnessWeights). Both are key-independent functions of the audio, so each
        // statistic keeps its null; the larger is reported and the bound counts both.
        var folds = new[] { Fold(whitened), Fold(Weighted(whitened, LoudnessWeights(samples))) }
            .Select(fold => (Spectrum: Spectrum(fold, fft, out var sigma), Sigma: sigma))
            .Where(f => f.Sigma > 0)
            .ToArray();
        if (folds.Length == 0)
        {
            return new WatermarkDetection { Present = false, Statistic = 0, Lag = 0, DurationSeconds = duration, KeyId = keys[0].Id, KeysTried = keys.Count };
        }

        WatermarkDetection? best = null;
        foreach (var key in keys)
        {
            foreach (var ((foldRe, foldIm), sigma) in folds)
            {
                var detection = Detect(whitened, foldRe, foldIm, sigma, key, duration) with { KeysTried = keys.Count };
                best = best is null || detection.Statistic > best.Statistic ? detection : best;
            }

            if (best!.Present)
            {
                return best;
            }
        }

        return best!;
    }

    /// <summary>
    /// One weight per hop of <see cref="SqrtHannFrames.Hop"/> samples: max(0, 1 - median P / P), P the hop's mean
    /// square. The whitening gives every frame the same level, so in a file that is one short sound in noise (a blip in
    /// a near-silent clip, with noise added) the noise-only frames, which carry almost no mark, outweigh the few that
    /// do. These weights keep the hops that stand above the file's typical level and drop the typical ones: the
    /// noise's share of the fold shrinks to the loud hops'. Files of even loudness get small, uneven weights and a weak
    /// weighted statistic, which is why the plain fold is searched too.
    /// </summary>
    internal static double[] LoudnessWeights(ReadOnlySpan<float> samples)
    {
        const int hop = SqrtHannFrames.Hop;
        var hops = (samples.Length + hop - 1) / hop;
        var power = new double[hops];
        for (var h = 0; h < hops; h++)
        {
            var block = samples.Slice(h * hop, Math.Min(hop, samples.Length - (h * hop)));
            double sum = 0;
            foreach (var x in block)
            {
                sum += (double)x * x;
            }

            power[h] = sum / block.Length;
        }

        var sorted = (double[])power.Clone();
        Array.Sort(sorted);
        var median = sorted.Length == 0 ? 0 : sorted[sorted.Length / 2];
        return [.. power.Select(p => p > median ? 1 - (median / p) : 0)];
    }

    private static double[] Weighted(double[] whitened, double[] hopWeights)
    {
        var weighted = new double[whitened.Length];
        for (var n = 0; n < whitened.Length; n++)
        {
            weighted[n] = whitened[n] * hopWeights[n / SqrtHannFrames.Hop];
        }

        return weighted;
    }

    private static WatermarkDetection Detect(double[] whitened, double[] foldRe, double[] foldIm, double sigma, WatermarkKey key, double duration)
    {
        const int period = WatermarkScheme.Period;
        var fft = PeriodFft;

        var pilot = Correlation(foldRe, foldIm, key.Pilot, fft);
        var lag = 0;
        for (var tau = 1; tau < period; tau++)
        {
            if (pilot[tau] > pilot[lag])
            {
                lag = tau;
            }
        }

        var statistic = pilot[lag] / sigma;
        var present = statistic >= WatermarkScheme.DetectionThreshold;
        if (!present)
        {
            return new WatermarkDetection { Present = false, Statistic = statistic, Lag = lag, DurationSeconds = duration, KeyId = key.Id };
        }

        var symbols = new int[WatermarkScheme.Symbols];
        var symbolStatistics = new double[WatermarkScheme.Symbols];
        for (var i = 0; i < symbols.Length; i++)
        {
            var correlation = Correlation(foldRe, foldIm, key.Sequences[1 + i], fft);
            var best = double.NegativeInfinity;
            for (var symbol = 0; symbol < 1 << WatermarkScheme.BitsPerSymbol; symbol++)
            {
                var value = correlation[(lag + (symbol * WatermarkScheme.SymbolSpacing)) % period];
                if (value > best)
                {
                    (best, symbols[i]) = (value, symbol);
                }
            }

            symbolStatistics[i] = best / sigma;
        }

        var payload = symbolStatistics.Min() >= WatermarkScheme.PayloadMinimumStatistic ? PayloadCode.Decode(symbols) : null;
        return new WatermarkDetection
        {
            Present = true,
            Statistic = statistic,
            Lag = lag,
            Payload = payload,
            SymbolStatistics = symbolStatistics,
            Seconds = PerSecond(whitened, key, lag, payload, fft),
            DurationSeconds = duration,
            KeyId = key.Id,
        };
    }

    /// <summary>The pilot's normalised correlation at every lag (the statistic before the maximum; tests check its null).</summary>
    internal static double[] PilotStatistics(ReadOnlySpan<float> samples, WatermarkKey key)
    {
        var fft = PeriodFft;
        var (foldRe, foldIm) = Spectrum(Fold(Whiten(samples)), fft, out var sigma);
        var correlation = Correlation(foldRe, foldIm, key.Pilot, fft);
        return [.. correlation.Select(r => sigma > 0 ? r / sigma : 0)];
    }

    /// <summary>The whitened audio summed modulo the period.</summary>
    internal static double[] Fold(ReadOnlySpan<double> whitened)
    {
        var fold = new double[WatermarkScheme.Period];
        for (var n = 0; n < whitened.Length; n++)
        {
            fold[n % WatermarkScheme.Period] += whitened[n];
        }

        return fold;
    }

    /// <summary>
    /// Each second's correlation with the synchronised template (pilot, plus the symbols when the payload was read),
    /// normalised like the global statistic: one test per second at a known lag.
    /// </summary>
    private static SecondScore[] PerSecond(double[] whitened, WatermarkKey key, int lag, WatermarkPayload? payload, ComplexFft fft)
    {
        const int period = WatermarkScheme.Period;
        const int second = WatermarkScheme.SampleRate;
        var template = new double[period];
        var aligned = payload is { } known ? WatermarkEmbedder.PeriodSequence(key, known) : key.Pilot.Samples;
        for (var m = 0; m < period; m++)
        {
            template[m] = aligned[(m - lag + period) % period];
        }

        // The template's sequences have random phases and squared weights summing to one (the pilot alone: weight one),
        // so its correlation with a key-independent second has the same variance as a single sequence's.
        var scores = new List<SecondScore>();
        var fold = new double[period];
        for (var s = 0; s * second < whitened.Length; s++)
        {
            var (start, end) = (s * second, Math.Min(whitened.Length, (s + 1) * second));
            if (end - start < second / 2)
            {
                break;
            }

            Array.Clear(fold);
            double correlation = 0;
            for (var n = start; n < end; n++)
            {
                fold[n % period] += whitened[n];
                correlation += whitened[n] * template[n % period];
            }

            _ = Spectrum(fold, fft, out var sigma);
            var z = sigma > 0 ? correlation / sigma : 0;
            scores.Add(new SecondScore(s, z, z >= WatermarkScheme.SecondThreshold));
        }

        return [.. scores];
    }

    /// <summary>
    /// The fold's DFT and the standard deviation of its correlation with a keyed sequence over the key's random phases:
    /// (Gain / P) * sqrt(2 * sum over band bins |F_k|^2).
    /// </summary>
    private static (double[] Re, double[] Im) Spectrum(double[] fold, ComplexFft fft, out double sigma)
    {
        var re = (double[])fold.Clone();
        var im = new double[fold.Length];
        fft.Forward(re, im);
        double power = 0;
        for (var k = WatermarkScheme.PeriodBandLow; k <= WatermarkScheme.PeriodBandHigh; k++)
        {
            power += (re[k] * re[k]) + (im[k] * im[k]);
        }

        sigma = KeyedSequence.Gain / WatermarkScheme.Period * Math.Sqrt(2 * power);
        return (re, im);
    }

    /// <summary>r[tau] = sum_m fold[m] * sequence[(m - tau) mod P] for every tau, through the DFT.</summary>
    private static double[] Correlation(double[] foldRe, double[] foldIm, KeyedSequence sequence, ComplexFft fft)
    {
        const int period = WatermarkScheme.Period;
        var (re, im) = (new double[period], new double[period]);
        var gain = KeyedSequence.Gain;
        for (var j = 0; j < sequence.PhaseCos.Length; j++)
        {
            var k = WatermarkScheme.PeriodBandLow + j;
            var (c, s) = (sequence.PhaseCos[j], sequence.PhaseSin[j]);
            // F_k * conj(Gain e^{i phi_k}), and its conjugate on the mirror bin.
            var gr = gain * ((foldRe[k] * c) + (foldIm[k] * s));
            var gi = gain * ((foldIm[k] * c) - (foldRe[k] * s));
            (re[k], im[k]) = (gr, gi);
            (re[period - k], im[period - k]) = (gr, -gi);
        }

        fft.InverseNormalized(re, im);
        return re;
    }

    /// <summary>
    /// The band of the audio with every STFT bin divided by the root mean power of its 3 x 3 neighbourhood (plus a floor
    /// at <see cref="WhiteningFloor"/> of the audio's mean level), synthesised back to samples.
    /// </summary>
    internal static double[] Whiten(ReadOnlySpan<float> samples)
    {
        var n = samples.Length;
        var output = new double[n];
        var frames = SqrtHannFrames.FrameCount(n);
        if (frames == 0)
        {
            return output;
        }

        double meanSquare = 0;
        foreach (var x in samples)
        {
            meanSquare += (double)x * x;
        }

        // A white signal of this mean square has E|X_k|^2 = meanSquare * sum(window^2) = meanSquare * Size / 2.
        var floor = (WhiteningFloor * Math.Sqrt(meanSquare / n * SqrtHannFrames.Size / 2)) + 1e-12;
        var (low, high) = (WatermarkScheme.FrameBandLow, WatermarkScheme.FrameBandHigh);
        var bandBins = high - low + 1;
        var re = new float[frames * bandBins];
        var im = new float[frames * bandBins];
        var power = new float[frames * bandBins];
        var transform = new SqrtHannFrames();
        var (first, second) = (new Spectrum(), new Spectrum());
        for (var t = 0; t < frames; t += 2)
        {
            transform.Analyze(samples, t, first, second);
            for (var f = t; f < Math.Min(t + 2, frames); f++)
            {
                var spectrum = f == t ? first : second;
                for (var j = 0; j < bandBins; j++)
                {
                    var (r, i) = (spectrum.Re[low + j], spectrum.Im[low + j]);
                    var index = (f * bandBins) + j;
                    (re[index], im[index], power[index]) = ((float)r, (float)i, (float)((r * r) + (i * i)));
                }
            }
        }

        for (var t = 0; t < frames; t += 2)
        {
            for (var f = t; f < t + 2; f++)
            {
                var spectrum = f == t ? first : second;
                spectrum.Clear();
                if (f >= frames)
                {
                    continue;
                }

                for (var j = 0; j < bandBins; j++)
                {
                    double sum = 0;
                    var count = 0;
                    for (var g = Math.Max(0, f - 1); g <= Math.Min(frames - 1, f + 1); g++)
                    {
                        for (var b = Math.Max(0, j - 1); b <= Math.Min(bandBins - 1, j + 1); b++)
                        {
                            sum += power[(g * bandBins) + b];
                            count++;
                        }
                    }

                    var scale = 1 / (Math.Sqrt(sum / count) + floor);
                    var index = (f * bandBins) + j;
                    spectrum.Re[low + j] = re[index] * scale;
                    spectrum.Im[low + j] = im[index] * scale;
                }
            }

            transform.SynthesizeAdd(first, second, t, output);
        }

        return output;
    }
}
