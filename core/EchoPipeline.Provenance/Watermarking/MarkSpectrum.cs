using EchoPipeline.Provenance.Dsp;

namespace EchoPipeline.Provenance.Watermarking;

/// <summary>
/// How the added mark (marked minus original) sounds, in two numbers over the mark's band: spectral flatness (geometric
/// over arithmetic mean of the averaged power spectrum: 1 for white noise, near 0 for a tone or a narrow hump) and peak
/// prominence (the largest ratio of a bin to the median of its +-10 neighbours, in dB: a few dB for noise, 20 dB and more
/// for an audible tone).
/// </summary>
public static class MarkSpectrum
{
    private const int Neighbours = 10;

    /// <summary>Welch's averaged power spectrum (sqrt-Hann frames of 1024, hop 512) on the band's bins.</summary>
    public static double[] BandPowerSpectrum(ReadOnlySpan<float> signal)
    {
        var (low, high) = (WatermarkScheme.FrameBandLow, WatermarkScheme.FrameBandHigh);
        var power = new double[high - low + 1];
        var frames = SqrtHannFrames.FrameCount(signal.Length);
        var transform = new SqrtHannFrames();
        var (first, second) = (new Spectrum(), new Spectrum());
        for (var t = 0; t < frames; t += 2)
        {
            transform.Analyze(signal, t, first, second);
            foreach (var spectrum in t + 1 < frames ? new[] { first, second } : [first])
            {
                for (var k = low; k <= high; k++)
                {
                    power[k - low] += (spectrum.Re[k] * spectrum.Re[k]) + (spectrum.Im[k] * spectrum.Im[k]);
                }
            }
        }

        return power;
    }

    public static double Flatness(ReadOnlySpan<float> signal)
    {
        var power = BandPowerSpectrum(signal);
        var mean = power.Average();
        return mean <= 0 ? 0 : Math.Exp(power.Average(p => Math.Log(Math.Max(p, mean * 1e-12)))) / mean;
    }

    public static double PeakProminenceDb(ReadOnlySpan<float> signal)
    {
        var power = BandPowerSpectrum(signal);
        var worst = 0.0;
        for (var k = 0; k < power.Length; k++)
        {
            var neighbourhood = new List<double>();
            for (var j = Math.Max(0, k - Neighbours); j <= Math.Min(power.Length - 1, k + Neighbours); j++)
            {
                if (j != k)
                {
                    neighbourhood.Add(power[j]);
                }
            }

            neighbourhood.Sort();
            var median = neighbourhood[neighbourhood.Count / 2];
            if (median > 0 && power[k] > 0)
            {
                worst = Math.Max(worst, 10 * Math.Log10(power[k] / median));
            }
        }

        return worst;
    }
}
