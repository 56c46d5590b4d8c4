using System.Diagnostics;
using System.Numerics.Tensors;
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
/// on one thread, the kernel as it was before issue 17 (guidance, widening, max, exp, divide as separate passes) on
/// one thread, and a textbook scalar loop (Math.Exp per code) on one thread, the independent reference.
/// </summary>
internal static class SamplingBench
{
    public const int Rows = 8;

    private static readonly TokenGrid Grid = FixedLogitsTransformer.PaperSize().Audio;

    public static IReadOnlyList<(string Name, double LogitsPerSecond)> Run(int repeat, CancellationToken cancellationToken)
    {
        var runs = Math.Max(5, repeat * 3);
        var conditional = FixedLogitsTransformer.Logits(Rows * Grid.Length * Grid.Codebook, 1);
        var unconditional = FixedLogitsTransformer.Logits(Rows * Grid.Length * Grid.Codebook, 3);
        var uniforms = Enumerable.Range(0, Rows * Grid.Length).Select(i => (i * 0.6180339887) % 1).ToArray();
        var guided = new float[Grid.Codebook];
        var scratch = new double[Grid.Codebook];
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
                return TokenSampler.Sample(guided, uniform, scratch).Probability;
            })),
            ("sampling_logits_per_s_previous_kernel_one_thread", () => PerPosition((c, u, uniform) => PreviousKernel(c, u, uniform, guided, scratch))),
            ("sampling_logits_per_s_scalar_reference_one_thread", () => PerPosition((c, u, uniform) => ScalarReference(c, u, uniform, guided, scratch))),
        };
        var figures = new List<(string, double)> { ("sampling_logits_per_s", Best(runs, [EngineLoop(cancellationToken)])[0]) };
        figures.AddRange(Best(runs, [.. kernels.Select(k => k.Run)]).Select((rate, i) => (kernels[i].Name, rate)));
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
    /// Logits per second of each path's fastest of <paramref name="runs"/> timed runs, after one warm-up each. The paths
    /// take turns, so a change in what else the machine runs meets them all alike.
    /// </summary>
    private static double[] Best(int runs, Action[] paths)
    {
        var fastest = paths.Select(run =>
        {
            run();
            return double.MaxValue;
        }).ToArray();
        for (var i = 0; i < runs; i++)
        {
            for (var p = 0; p < paths.Length; p++)
            {
                var watch = Stopwatch.StartNew();
                paths[p]();
                fastest[p] = Math.Min(fastest[p], watch.Elapsed.TotalSeconds);
            }
        }

        return [.. fastest.Select(seconds => (double)Rows * Grid.Length * Grid.Codebook / seconds)];
    }

    /// <summary>The engine's sampling before issue 17 (same bits as today's): every step its own pass over the row.</summary>
    private static double PreviousKernel(ReadOnlySpan<float> conditional, ReadOnlySpan<float> unconditional, double uniform, float[] guided, double[] probabilities)
    {
        TensorPrimitives.Subtract(conditional, unconditional, guided);
        TensorPrimitives.Multiply(guided, 3f, guided);
        TensorPrimitives.Add(guided, unconditional, guided);
        for (var c = 0; c < guided.Length; c++)
        {
            probabilities[c] = guided[c];
        }

        TensorPrimitives.Subtract(probabilities, TensorPrimitives.Max(probabilities), probabilities);
        TensorPrimitives.Exp(probabilities, probabilities);
        TensorPrimitives.Divide(probabilities, TensorPrimitives.Sum(probabilities), probabilities);
        return probabilities[TokenSampler.SampleInverseCdf(probabilities, uniform)];
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
