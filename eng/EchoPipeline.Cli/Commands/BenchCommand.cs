using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using EchoPipeline.Engine.Bundles;
using EchoPipeline.Engine.Components;
using EchoPipeline.Engine.Generation;

namespace EchoPipeline.Cli.Commands;

/// <summary>
/// `bench`: prints `name: value` lines: per-stage milliseconds for one image-to-audio clip, the engine's overhead
/// over ONNX Runtime (engine time / time inside Run; goal &lt;= 1.10), the speed-up of running the conditional and
/// unconditional rows as one 2B batch instead of two B batches, and clips per second at batch 1, 4 and 8.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var bundle = new Option<DirectoryInfo?>("--bundle") { Description = "Model bundle folder (default: models/echo-demo, else the tiny test bundle)." };
        var repeat = new Option<int>("--repeat") { Description = "Timed repetitions of each measurement (after one warm-up).", DefaultValueFactory = _ => 3 };
        var steps = new Option<int?>("--steps") { Description = "Unmasking steps N (default: the bundle's)." };
        var provider = new Option<BundleExecutionProvider>("--provider") { Description = "Execution provider.", DefaultValueFactory = _ => BundleExecutionProvider.Cpu };
        var command = new Command("bench", "Measure the engine on a model bundle.") { bundle, repeat, steps, provider };
        command.SetAction((parse, cancellationToken) => Task.Run(
            () => Run(ScoreCommand.BundlePath(parse.GetValue(bundle)), Math.Max(1, parse.GetValue(repeat)), parse.GetValue(steps), parse.GetValue(provider), cancellationToken),
            cancellationToken));
        return command;
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
            generator.Generate(Requests(1), cancellationToken); // warm-up: first runs allocate arenas
            var clip = Enumerable.Range(0, repeat).Select(_ => generator.Generate(Requests(1), cancellationToken)[0].Timings).ToArray();
            foreach (var (stage, _) in clip[0].Stages())
            {
                Print($"{stage}_ms", clip.Average(t => t.Stages().First(s => s.Key == stage).Value.TotalMilliseconds));
            }

            Print("ort_run_ms", clip.Average(t => t.InferenceRun.TotalMilliseconds));
            Print("engine_overhead_ratio", clip.Sum(t => t.Total.TotalMilliseconds) / clip.Sum(t => t.InferenceRun.TotalMilliseconds));
            if (model.Vocoder is not OnnxVocoder)
            {
                // Griffin-Lim is C# signal processing, not ORT: without it the ratio measures the engine's own overhead.
                Print("engine_overhead_ratio_without_griffin_lim", clip.Sum(t => (t.Total - t.Vocode).TotalMilliseconds) / clip.Sum(t => t.InferenceRun.TotalMilliseconds));
            }
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
        }

        return ExitCodes.Success;
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
