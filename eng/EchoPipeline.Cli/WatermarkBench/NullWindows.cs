using System.Runtime.InteropServices;
using EchoPipeline.Cli.Verification;
using EchoPipeline.Provenance.Watermarking;

namespace EchoPipeline.Cli.WatermarkBench;

/// <summary>A family of unmarked 3-second windows, and the keys each is tested with.</summary>
internal sealed record NullFamily(string Name, IReadOnlyList<float[]> Windows, IReadOnlyList<WatermarkKey> Keys);

/// <summary>
/// Audio that does not carry the tested key's mark: the engine's outputs generated without it, the world's real
/// held-out clips, outputs marked with another key, and synthetic tones, chords, sweeps, noises and clicks.
/// </summary>
internal static class NullWindows
{
    public const int WindowSamples = 3 * WatermarkScheme.SampleRate;

    public static IEnumerable<float[]> ThreeSecondWindows(float[] clip)
    {
        for (var start = 0; start + WindowSamples <= clip.Length; start += WindowSamples)
        {
            yield return clip.AsSpan(start, WindowSamples).ToArray();
        }
    }

    /// <summary>The demo bundle's held-out world clips (real, not generated), decoded by FFmpeg.</summary>
    public static async Task<IReadOnlyList<float[]>> WorldClipsAsync(CancellationToken cancellationToken)
    {
        var clips = new List<float[]>();
        foreach (var flac in Directory.GetFiles(Path.Combine(RepoLayout.Root, "models", "echo-demo", "eval"), "*.flac").Order(StringComparer.Ordinal))
        {
            var run = await ToolProcess.RunAsync("ffmpeg", ["-v", "error", "-i", "file:" + flac, "-ac", "1", "-ar", "22050", "-f", "f32le", "pipe:1"], TimeSpan.FromMinutes(1), cancellationToken);
            clips.Add(MemoryMarshal.Cast<byte, float>(run.Stdout.AsSpan(0, run.Stdout.Length - (run.Stdout.Length % 4))).ToArray());
        }

        return clips;
    }

    /// <summary><paramref name="count"/> synthetic windows, cycling through the kinds, each with its own random draw.</summary>
    public static IEnumerable<float[]> Synthetic(int count, int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            yield return (i % 8) switch
            {
                0 => Tones(random, 1),
                1 => Tones(random, random.Next(2, 6)),
                2 => Sweep(random),
                3 => White(random),
                4 => Pink(random),
                5 => BandNoise(random),
                6 => Clicks(random),
                _ => PulsedTone(random),
            };
        }
    }

    private static float[] Tones(Random random, int count)
    {
        var x = new float[WindowSamples];
        for (var j = 0; j < count; j++)
        {
            var (hz, amplitude, phase) = (50 * Math.Pow(160, random.NextDouble()), (0.5 / count) * random.NextDouble(), random.NextDouble() * 2 * Math.PI);
            for (var n = 0; n < x.Length; n++)
            {
                x[n] += (float)(amplitude * Math.Sin(phase + (2 * Math.PI * hz * n / WatermarkScheme.SampleRate)));
            }
        }

        return x;
    }

    private static float[] Sweep(Random random)
    {
        var (from, to) = (100 * Math.Pow(50, random.NextDouble()), 100 * Math.Pow(50, random.NextDouble()));
        var x = new float[WindowSamples];
        double phase = 0;
        for (var n = 0; n < x.Length; n++)
        {
            phase += 2 * Math.PI * (from + ((to - from) * n / x.Length)) / WatermarkScheme.SampleRate;
            x[n] = (float)(0.3 * Math.Sin(phase));
        }

        return x;
    }

    private static float[] White(Random random) => [.. Enumerable.Range(0, WindowSamples).Select(_ => (float)(0.1 * Gaussian(random)))];

    /// <summary>Pink-ish noise: Paul Kellet's economy filter on white noise.</summary>
    private static float[] Pink(Random random)
    {
        var x = new float[WindowSamples];
        double b0 = 0, b1 = 0, b2 = 0;
        for (var n = 0; n < x.Length; n++)
        {
            var white = Gaussian(random);
            b0 = (0.99765 * b0) + (white * 0.0990460);
            b1 = (0.96300 * b1) + (white * 0.2965164);
            b2 = (0.57000 * b2) + (white * 1.0526913);
            x[n] = (float)(0.05 * (b0 + b1 + b2 + (white * 0.1848)));
        }

        return x;
    }

    /// <summary>White noise through a two-pole resonator: narrow-band noise like the demo world's noisy sounds.</summary>
    private static float[] BandNoise(Random random)
    {
        var hz = 150 * Math.Pow(40, random.NextDouble());
        var r = 0.995;
        var (a1, a2) = (2 * r * Math.Cos(2 * Math.PI * hz / WatermarkScheme.SampleRate), -r * r);
        var x = new float[WindowSamples];
        double y1 = 0, y2 = 0;
        for (var n = 0; n < x.Length; n++)
        {
            var y = (0.01 * Gaussian(random)) + (a1 * y1) + (a2 * y2);
            (y2, y1) = (y1, y);
            x[n] = (float)y;
        }

        var peak = x.Max(Math.Abs);
        return [.. x.Select(v => v / peak * 0.5f)];
    }

    private static float[] Clicks(Random random)
    {
        var x = new float[WindowSamples];
        var period = random.Next(500, 11025);
        for (var n = random.Next(period); n < x.Length; n += period)
        {
            x[n] = (float)(0.9 * ((random.Next(2) * 2) - 1));
        }

        return x;
    }

    private static float[] PulsedTone(Random random)
    {
        var x = Tones(random, 1);
        var rate = 2 + (4 * random.NextDouble());
        for (var n = 0; n < x.Length; n++)
        {
            x[n] *= Math.Sin(2 * Math.PI * rate * n / WatermarkScheme.SampleRate) > 0 ? 1 : 0;
        }

        return x;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
