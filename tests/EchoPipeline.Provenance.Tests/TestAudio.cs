using EchoPipeline.Provenance.Watermarking;

namespace EchoPipeline.Provenance.Tests;

/// <summary>Deterministic test signals at the mark's rate, shaped like the demo world's sounds (bands, pulses, noise).</summary>
internal static class TestAudio
{
    public const int Rate = WatermarkScheme.SampleRate;

    /// <summary>A tone gliding from <paramref name="fromHz"/> to <paramref name="toHz"/>, switched on and off at 3 Hz, over faint noise.</summary>
    public static float[] PulsedChirp(double seconds, double fromHz = 600, double toHz = 900, int seed = 1)
    {
        var random = new Random(seed);
        var n = (int)(seconds * Rate);
        var x = new float[n];
        double phase = 0;
        for (var i = 0; i < n; i++)
        {
            var t = (double)i / Rate;
            phase += 2 * Math.PI * (fromHz + ((toHz - fromHz) * t / seconds)) / Rate;
            var gate = Math.Sin(2 * Math.PI * 3 * t) > -0.3 ? 1.0 : 0.05;
            x[i] = (float)((0.4 * gate * Math.Sin(phase)) + (0.002 * Gaussian(random)));
        }

        return x;
    }

    public static float[] Tone(double seconds, double hz, double amplitude = 0.5)
    {
        var n = (int)(seconds * Rate);
        return Enumerable.Range(0, n).Select(i => (float)(amplitude * Math.Sin(2 * Math.PI * hz * i / Rate))).ToArray();
    }

    public static float[] WhiteNoise(double seconds, int seed, double rms = 0.1)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, (int)(seconds * Rate)).Select(_ => (float)(rms * Gaussian(random))).ToArray();
    }

    /// <summary>Noise filtered to [<paramref name="lowHz"/>, <paramref name="highHz"/>] by summing random-phase sines on a 1 Hz grid.</summary>
    public static float[] BandNoise(double seconds, double lowHz, double highHz, int seed, double rms = 0.2)
    {
        var random = new Random(seed);
        var n = (int)(seconds * Rate);
        var x = new double[n];
        for (var f = lowHz; f <= highHz; f += 1)
        {
            var (step, phase) = (2 * Math.PI * f / Rate, random.NextDouble() * 2 * Math.PI);
            for (var i = 0; i < n; i++)
            {
                x[i] += Math.Sin((step * i) + phase);
            }
        }

        var scale = rms / Math.Sqrt(x.Average(v => v * v));
        return x.Select(v => (float)(v * scale)).ToArray();
    }

    public static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
