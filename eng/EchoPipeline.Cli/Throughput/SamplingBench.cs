using System.Diagnostics;
using EchoPipeline.Engine.Generation.Noise;
using EchoPipeline.Engine.Generation.Sampling;
using EchoPipeline.Engine.Generation.Transformer;
using EchoPipeline.Engine.Generation.Unmasking;

namespace EchoPipeline.Cli.Throughput;

/// <summary>
/// Logits sampled per second at the paper's size (265 x 1024 audio logits per row, every position masked: a first step,
/// the most work; guidance on, so 2B rows are read). Each figure is the best of several timed runs, which on a shared
/// machine is the one least disturbed by other processes; the one-thread paths take turns. Four paths over the same kind of logits:
/// the engine's unmasking loop (all cores; the transformer's run costs nothing here), the engine's per-position kernel
/// on one thread with guidance on logits and on probabilities (two softmaxes), and a textbook scalar loop (Math.Exp
/// per code) on one thread, the independent reference.
/// </summary>
internal static class SamplingBench
{
    public const int Rows = 8;

    private static readonly TokenGrid Grid = FixedLogitsTransformer.PaperSize().Audio;

    private static readonly double LogitsPerRun = (double)Rows * Grid.Length * Grid.Codebook;

    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(10);

    public static IReadOnlyList<(string Name, double LogitsPerSecond)> Run(int repeat, CancellationToken cancellationToken)
    {
        var runs = Math.Max(5, repeat * 3);
        var conditional = FixedLogitsTransformer.Logits(Rows * Grid.Length * Grid.Codebook, 1);
        var unconditional = FixedLogitsTransformer.Logits(Rows * Grid.Length * Grid.Codebook, 3);
        var uniforms = Enumerable.Range(0, Rows * Grid.Length).Select(i => (i * 0.6180339887) % 1).ToArray();
        var guided = new float[Grid.Codebook];
        var scratch = new double[Grid.Codebook];
        var unconditionalScratch = new double[Grid.Codebook];
        double sink = 0;

        void PerPosition(Func<ReadOnlySpan<float>, ReadOnlySpan<float>, double, double> sample)
        {
            for (var p = 0; p < uniforms.Length; p++)
            {
                sink += sample(conditional.AsSpan(p * Grid.Codebook, Grid.Codebook), unconditional.AsSpan(p * Grid.Codebook, Grid.Codebook), uniforms[p]);
            }
        }

        var kernels = new (string Name, Action Run)[]
        {
            ("sampling_logits_per_s_one_thread", () => PerPosition((c, u, uniform) =>
            {
                ClassifierFreeGuidance.Combine(c, u, 3f, guided);
                TokenSampler.Softmax(guided, scratch);
                return scratch[TokenSampler.SampleInverseCdf(scratch, uniform)];
            })),
            ("sampling_logits_per_s_probability_guidance_one_thread", () => PerPosition((c, u, uniform) =>
            {
                TokenSampler.Softmax(c, scratch);
                TokenSampler.Softmax(u, unconditionalScratch);
                ClassifierFreeGuidance.CombineProbabilities(scratch, unconditionalScratch, 3f, scratch);
                return scratch[TokenSampler.SampleInverseCdf(scratch, uniform)];
            })),
            ("sampling_logits_per_s_scalar_reference_one_thread", () => PerPosition((c, u, uniform) => ScalarReference(c, u, uniform, guided, scratch))),
        };
        var (engineLoop, cpuSeconds) = Best(runs, [EngineLoop(cancellationToken)]);
        var figures = new List<(string, double)>
        {
            ("sampling_logits_per_s", engineLoop[0]),
            ("sampling_logits_per_cpu_s", runs * LogitsPerRun / cpuSeconds),
        };
        figures.AddRange(Best(runs, [.. kernels.Select(k => k.Run)]).Rates.Select((rate, i) => (kernels[i].Name, rate)));
        return double.IsFinite(sink) ? figures : throw new InvalidOperationException("a sampler returned a non-finite probability");
    }

    /// <summary>The unmasker over B requests, one step: noise, guidance, sampling, confidence, re-mask ranking.</summary>
    private static Action EngineLoop(CancellationToken cancellationToken)
    {
        var transformer = FixedLogitsTransformer.PaperSize();
        var unmasker = new GuidedUnmasker(transformer);
        var image = Enumerable.Range(0, transformer.Image.Length).Select(i => (long)(i * 7 % transformer.Image.Codebook)).ToArray();
        return () => unmasker.Run(
            [.. Enumerable.Range(0, Rows).Select(seed => new UnmaskRequest(
                ModalityTokens.Generate(transformer.Audio.Length), ModalityTokens.Guide(image), 1, 4.5, 3f, new SeededUnmaskNoise(seed)))],
            cancellationToken);
    }

    /// <summary>
    /// Logits per second of each path's fastest of <paramref name="runs"/> timed runs, after a warm-up of each. The paths
    /// take turns, so a change in what else the machine runs meets them all alike. The warm-up lasts ten seconds, not
    /// one run: tiered compilation runs new code unoptimized first, and after one warm-up run the engine loop (whose
    /// methods are called a few dozen times per run) was still timed as unoptimized code, at a quarter to a third of its
    /// steady speed; after three seconds its CPU cost per logit was still 1.6x that with tiering off (docs/performance.md).
    /// </summary>
    /// <returns>The rates, and the process's CPU seconds over the timed runs (all threads: the work a loop costs, which
    /// waiting for a descheduled thread does not inflate as it does the wall time).</returns>
    private static (double[] Rates, double CpuSeconds) Best(int runs, Action[] paths)
    {
        var fastest = paths.Select(run =>
        {
            var warmUp = Stopwatch.StartNew();
            do
            {
                run();
            }
            while (warmUp.Elapsed < WarmUp);
            return double.MaxValue;
        }).ToArray();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        for (var i = 0; i < runs; i++)
        {
            for (var p = 0; p < paths.Length; p++)
            {
                var watch = Stopwatch.StartNew();
                paths[p]();
                fastest[p] = Math.Min(fastest[p], watch.Elapsed.TotalSeconds);
            }
        }

        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
        return ([.. fastest.Select(seconds => LogitsPerRun / seconds)], cpuSeconds);
    }

    /// <summary>The probability of the sampled code, the textbook way.</summary>
    private static double ScalarReference(ReadOnlySpan<float> conditional, ReadOnlySpan<float> unconditional, double uniform, float[] guided, double[] probabilities)
    {
        var max = double.NegativeInfinity;
        for (var c = 0; c < guided.Length; c++)
        {
            guided[c] = unconditional[c] + (3f * (conditional[c] - unconditional[c]));
            max = Math.Max(max, guided[c]);
        }

        double sum = 0;
        for (var c = 0; c < guided.Length; c++)
        {
            sum += probabilities[c] = Math.Exp(guided[c] - max);
        }

        double cumulative = 0;
        for (var c = 0; c < guided.Length; c++)
        {
            cumulative += probabilities[c] / sum;
            if (cumulative > uniform)
            {
                return probabilities[c] / sum;
            }
        }

        return probabilities[^1] / sum;
    }
}
