namespace EchoPipeline.Cli.Tests.Evaluation;

/// <summary>Test clips at 22050 Hz, 10 s, built from their definitions.</summary>
internal static class Signals
{
    public const int Rate = 22050;
    public const int Length = 220500;

    public static float[] Tone(double hz, double amplitude = 0.5) =>
        [.. Enumerable.Range(0, Length).Select(n => (float)(amplitude * Math.Sin(2 * Math.PI * hz * n / Rate)))];

    /// <summary>The tone switched fully on and off at <paramref name="rateHz"/>, half the time each.</summary>
    public static float[] Gated(float[] clip, double rateHz) =>
        [.. clip.Select((x, n) => (n * rateHz / Rate) % 1.0 < 0.5 ? x : 0f)];

    /// <summary>Narrow-band noise: 400 sinusoids of random frequency in [lowHz, highHz] and random phase.</summary>
    public static float[] BandNoise(double lowHz, double highHz, int seed)
    {
        var random = new Random(seed);
        var parts = Enumerable.Range(0, 400).Select(_ => (Hz: lowHz + ((highHz - lowHz) * random.NextDouble()), Phase: 2 * Math.PI * random.NextDouble())).ToArray();
        var clip = new float[Length];
        for (var n = 0; n < Length; n++)
        {
            var sum = 0.0;
            foreach (var (hz, phase) in parts)
            {
                sum += Math.Sin((2 * Math.PI * hz * n / Rate) + phase);
            }

            clip[n] = (float)(0.5 * sum / Math.Sqrt(parts.Length));
        }

        return clip;
    }
}
