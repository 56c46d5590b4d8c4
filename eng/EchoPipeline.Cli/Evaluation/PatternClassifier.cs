namespace EchoPipeline.Cli.Evaluation;

internal enum SoundPattern
{
    Steady,
    Pulsed,
    Noise,
}

/// <summary>
/// Steady / pulsed / noise from a clip's mel power, by three measures fixed from the world's definition
/// (tools/echo_tools/world.py), not from any model's output:
/// <list type="bullet">
/// <item>pulsed: the loudness envelope (square root of the frame energy) swings (std/mean at least 0.3) and at
/// least half of its modulation power (0.5 Hz .. Nyquist of the frame rate) lies at 1.5-7 Hz, around the 2-6 Hz gating;</item>
/// <item>noise: a frame's power spreads over at least 5 mel bands within 10 dB of its peak (a tone lights 1-3),
/// or the frame energy jumps by a median of at least 1.5 dB from frame to frame (a tone's hardly moves);</item>
/// <item>steady: otherwise.</item>
/// </list>
/// Frames quieter than 1% of the loudest do not count.
/// </summary>
internal static class PatternClassifier
{
    public const double MinDepth = 0.3;
    public const double MinPulseShare = 0.5;
    public const double PulseLowHz = 1.5;
    public const double PulseHighHz = 7;
    public const int MinNoiseBands = 5;
    public const double MinNoiseJumpDb = 1.5;

    public static SoundPattern Classify(PowerMel mel) => Classify(Measure(mel));

    public static SoundPattern Classify(PatternFeatures f) =>
        f.Depth >= MinDepth && f.PulseShare >= MinPulseShare ? SoundPattern.Pulsed
        : f.MedianWidth >= MinNoiseBands || f.MedianJumpDb >= MinNoiseJumpDb ? SoundPattern.Noise
        : SoundPattern.Steady;

    public static PatternFeatures Measure(PowerMel mel)
    {
        var energy = Enumerable.Range(0, mel.Frames).Select(mel.FrameEnergy).ToArray();
        var envelope = energy.Select(Math.Sqrt).ToArray();
        var mean = envelope.Average();
        var depth = Math.Sqrt(envelope.Average(a => (a - mean) * (a - mean))) / mean;

        var active = energy.Max() / 100;
        var widths = new List<double>();
        var jumps = new List<double>();
        for (var t = 0; t < mel.Frames; t++)
        {
            if (energy[t] < active)
            {
                continue;
            }

            widths.Add(BandsNearPeak(mel, t));
            if (t > 0 && energy[t - 1] >= active)
            {
                jumps.Add(Math.Abs(10 * Math.Log10(energy[t] / energy[t - 1])));
            }
        }

        return new PatternFeatures(depth, PulseShare(envelope, mean, mel.FrameRate), Median(widths), Median(jumps));
    }

    /// <summary>Share of the envelope's modulation power (0.5 Hz up) that lies between 1.5 and 7 Hz (a plain DFT).</summary>
    private static double PulseShare(double[] envelope, double mean, double frameRate)
    {
        double inside = 0, total = 0;
        var n = envelope.Length;
        for (var k = 1; k <= n / 2; k++)
        {
            var hz = k * frameRate / n;
            if (hz < 0.5)
            {
                continue;
            }

            double re = 0, im = 0;
            for (var t = 0; t < n; t++)
            {
                var phase = 2 * Math.PI * k * t / n;
                re += (envelope[t] - mean) * Math.Cos(phase);
                im -= (envelope[t] - mean) * Math.Sin(phase);
            }

            var power = (re * re) + (im * im);
            total += power;
            inside += hz is >= PulseLowHz and <= PulseHighHz ? power : 0;
        }

        return total > 0 ? inside / total : 0;
    }

    private static int BandsNearPeak(PowerMel mel, int frame)
    {
        var peak = Enumerable.Range(0, mel.Bands).Max(m => mel[m, frame]);
        return Enumerable.Range(0, mel.Bands).Count(m => mel[m, frame] >= peak / 10);
    }

    private static double Median(List<double> values)
    {
        if (values.Count == 0)
        {
            return 0;
        }

        values.Sort();
        return values.Count % 2 == 1 ? values[values.Count / 2] : 0.5 * (values[(values.Count / 2) - 1] + values[values.Count / 2]);
    }
}

/// <summary>The measures <see cref="PatternClassifier"/> decides on.</summary>
internal sealed record PatternFeatures(double Depth, double PulseShare, double MedianWidth, double MedianJumpDb);
