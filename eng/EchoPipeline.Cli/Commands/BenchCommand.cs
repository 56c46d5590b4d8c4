using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using EchoPipeline.Cli.LocalPipeline;
using EchoPipeline.Cli.Throughput;
using EchoPipeline.Engine.Bundles;
using EchoPipeline.Engine.Components;
using EchoPipeline.Engine.Generation;

namespace EchoPipeline.Cli.Commands;

/// <summary>
/// `bench`: prints `name: value` lines: per-stage milliseconds for one image-to-audio clip, the engine's overhead
/// over ONNX Runtime (engine time / time inside Run; goal &lt;= 1.10) with and without the vocoder stage, the speed-up
/// of running the conditional and unconditional rows as one 2B batch instead of two B batches, clips per second at
/// batch 1, 4 and 8, and logits sampled per second. `bench --pipeline` measures the local pipeline instead
/// (<see cref="PipelineBench"/>).
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var bundle = new Option<DirectoryInfo?>("--bundle") { Description = "Model bundle folder (default: models/echo-demo, else the tiny test bundle)." };
        var repeat = new Option<int>("--repeat") { Description = "Timed repetitions of each measurement (after a warm-up).", DefaultValueFactory = _ => 3 };
        var steps = new Option<int?>("--steps") { Description = "Unmasking steps N (default: the bundle's)." };
        var provider = new Option<BundleExecutionProvider>("--provider") { Description = "Execution provider.", DefaultValueFactory = _ => BundleExecutionProvider.Cpu };
        var pipeline = new Option<bool>("--pipeline") { Description = "Measure the local pipeline end to end against the engine alone instead." };
        var jobs = new Option<int>("--jobs") { Description = "--pipeline: image jobs timed end to end (at least 16).", DefaultValueFactory = _ => 16 };
        var workers = new Option<int>("--workers") { Description = "--pipeline: worker processes (1-16).", DefaultValueFactory = _ => 1 };
        var samplingOnly = new Option<bool>("--sampling") { Description = "Only the sampling figures (no bundle needed)." };
        var command = new Command("bench", "Measure the engine on a model bundle (or with --pipeline, the whole local pipeline).")
        {
            bundle, repeat, steps, provider, pipeline, jobs, workers, samplingOnly,
        };
        command.SetAction((parse, cancellationToken) => parse.GetValue(pipeline)
            ? RunPipelineAsync(ScoreCommand.BundlePath(parse.GetValue(bundle)), parse.GetValue(jobs), parse.GetValue(workers), cancellationToken)
            : parse.GetValue(samplingOnly)
            ? Task.Run(() => PrintSampling(Math.Max(1, parse.GetValue(repeat)), cancellationToken), cancellationToken)
            : Task.Run(
                () => Run(ScoreCommand.BundlePath(parse.GetValue(bundle)), Math.Max(1, parse.GetValue(repeat)), parse.GetValue(steps), parse.GetValue(provider), cancellationToken),
                cancellationToken));
        return command;
    }

    private static async Task<int> RunPipelineAsync(string bundlePath, int jobs, int workers, CancellationToken cancellationToken)
    {
        if (jobs is < 16 or > 1000 || workers is < 1 or > 16)
        {
            await Console.Error.WriteLineAsync($"bench: --jobs must be 16-1000 (got {jobs}) and --workers 1-16 (got {workers}).");
            return ExitCodes.UsageError;
        }

        try
        {
            foreach (var (name, value) in await PipelineBench.RunAsync(bundlePath, jobs, workers, cancellationToken))
            {
                Print(name, value);
            }

            return ExitCodes.Success;
        }
        catch (LocalPipelineException e)
        {
            await Console.Error.WriteLineAsync($"bench: {e.Message}");
            return e.ExitCode;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("bench: cancelled; the local pipeline was stopped.");
            return ExitCodes.Cancelled;
        }
    }

    private static int Run(string bundlePath, int repeat, int? steps, BundleExecutionProvider provider, CancellationToken cancellationToken)
    {
        EchoModel model;
        try
        {
            model = EchoModel.Load(bundlePath, new BundleLoadOptions { ExecutionProvider = provider }, cancellationToken);
        }
        catch (BundleLoadException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.BadBundle;
        }

        using (model)
        {
            var generator = new EchoGenerator(model);
            var defaults = model.DefaultsFor(GenerationMode.ImageToAudio);
            var settings = defaults with { Steps = steps ?? defaults.Steps };
            Print("bundle", $"{model.BundleId} {model.BundleSha256[..12]}");
            Print("vocoder", model.Vocoder is OnnxVocoder ? "onnx" : "griffin-lim");
            Print("steps", settings.Steps);
            Print("guidance", settings.Guidance);

            EchoRequest[] Requests(int n) => Enumerable.Range(0, n).Select(i => new EchoRequest { Image = Picture(i), Seed = i, Steps = settings.Steps }).ToArray();
            // Warm-up: the first runs allocate ONNX Runtime's arenas, the next ones get per-clip code compiled optimized.
            for (var i = 0; i < TieredJitWarmUp.Calls; i++)
            {
                generator.Generate(Requests(1), cancellationToken);
            }

            var clip = Enumerable.Range(0, repeat).Select(_ => Timed(model, () => generator.Generate(Requests(1), cancellationToken)[0].Timings)).ToArray();
            foreach (var (stage, _) in clip[0].Stages.Stages())
            {
                Print($"{stage}_ms", clip.Average(t => t.Stages.Stages().First(s => s.Key == stage).Value.TotalMilliseconds));
            }

            Print("ort_run_ms", clip.Average(t => t.Stages.InferenceRun.TotalMilliseconds));
            Print("engine_overhead_ratio", clip.Sum(t => t.Stages.Total.TotalMilliseconds) / clip.Sum(t => t.Stages.InferenceRun.TotalMilliseconds));

            // Without the vocoder stage and its ONNX run (if it has one): Griffin-Lim is C# signal processing, and the
            // demo bundle's ONNX vocoder is still being trained, so this is the engine's own overhead either way.
            Print("engine_overhead_ratio_excl_vocoder", clip.Sum(t => (t.Stages.Total - t.Stages.Vocode).TotalMilliseconds) / clip.Sum(t => (t.Stages.InferenceRun - t.VocoderRun).TotalMilliseconds));
            foreach (var rows in (int[])[1, 4])
            {
                Print(rows == 1 ? "cfg_batched_speedup" : $"cfg_batched_speedup_b{rows}", CfgSpeedup(model.Transformer, rows, repeat * 10, cancellationToken));
            }

            foreach (var batch in (int[])[1, 4, 8])
            {
                generator.Generate(Requests(batch), cancellationToken);
                var watch = Stopwatch.StartNew();
                for (var r = 0; r < repeat; r++)
                {
                    generator.Generate(Requests(batch), cancellationToken);
                }

                Print($"clips_per_second_b{batch}", batch * repeat / watch.Elapsed.TotalSeconds);
            }

            PrintSampling(repeat, cancellationToken);
        }

        return ExitCodes.Success;
    }

    private static int PrintSampling(int repeat, CancellationToken cancellationToken)
    {
        Print("sampling_rows", SamplingBench.Rows);
        foreach (var (name, rate) in SamplingBench.Run(repeat, cancellationToken))
        {
            Print(name, rate.ToString("0.###e0", CultureInfo.InvariantCulture));
        }

        return ExitCodes.Success;
    }

    /// <summary>A clip's stage timings and the part of them spent inside the vocoder's ONNX run (zero for Griffin-Lim).</summary>
    private static (StageTimings Stages, TimeSpan VocoderRun) Timed(EchoModel model, Func<StageTimings> generate)
    {
        var before = (model.Vocoder as OnnxComponent)?.RunTime ?? TimeSpan.Zero;
        var stages = generate();
        return (stages, ((model.Vocoder as OnnxComponent)?.RunTime ?? TimeSpan.Zero) - before);
    }

    /// <summary>Time of two B-row transformer runs over the time of one 2B-row run (what CFG costs per step each way).</summary>
    private static double CfgSpeedup(VisualEchoesTransformer transformer, int rows, int iterations, CancellationToken cancellationToken)
    {
        using var single = transformer.CreateBatch(rows);
        using var doubled = transformer.CreateBatch(2 * rows);
        single.AudioTokens.Span.Fill(transformer.Audio.MaskId);
        single.ImageTokens.Span.Fill(transformer.Image.MaskId);
        doubled.AudioTokens.Span.Fill(transformer.Audio.MaskId);
        doubled.ImageTokens.Span.Fill(transformer.Image.MaskId);
        single.Run(cancellationToken);
        doubled.Run(cancellationToken);
        var twoRuns = Time(() =>
        {
            single.Run(cancellationToken);
            single.Run(cancellationToken);
        });
        var oneRun = Time(() => doubled.Run(cancellationToken));
        return twoRuns / oneRun;

        double Time(Action run)
        {
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < iterations; i++)
            {
                run();
            }

            return watch.Elapsed.TotalMilliseconds;
        }
    }

    private static byte[] Picture(int variant)
    {
        var rgb = new byte[256 * 256 * 3];
        for (var p = 0; p < rgb.Length; p++)
        {
            rgb[p] = (byte)((p * (variant + 3)) >> 8);
        }

        return rgb;
    }

    private static void Print(string name, double value) => Print(name, value.ToString("0.###", CultureInfo.InvariantCulture));

    private static void Print(string name, object value) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {value}"));
}
