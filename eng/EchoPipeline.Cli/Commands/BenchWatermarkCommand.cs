using System.Collections.Concurrent;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using EchoPipeline.Cli.WatermarkBench;
using EchoPipeline.Engine.Bundles;
using EchoPipeline.Provenance.Watermarking;

namespace EchoPipeline.Cli.Commands;

/// <summary>
/// `bench-watermark`: `name: value` figures for the watermark (docs/provenance.md): detection and payload rates on the
/// engine's clips after each edit, false positives on unmarked windows against the theoretical bound, the mark's SNR
/// and spectrum, and the cost of detecting and embedding. Progress goes to stderr, figures to stdout.
/// </summary>
internal static class BenchWatermarkCommand
{
    private const string BenchSecret = "echopipe bench-watermark key (not a deployment secret)";
    private static readonly double[] TailThresholds = [4.5, 5.0, 5.5, 6.0, 6.5, WatermarkScheme.DetectionThreshold];

    public static Command Create()
    {
        var bundle = new Option<DirectoryInfo?>("--bundle") { Description = "Model bundle folder (default: models/echo-demo, else the tiny test bundle)." };
        var clips = new Option<int>("--clips") { Description = "Generated clips to mark and edit.", DefaultValueFactory = _ => 208 };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Where the generated clips are cached (default out/bench-watermark)." };
        var synthetic = new Option<int>("--synthetic") { Description = "Synthetic unmarked 3 s windows (tones, noises, clicks).", DefaultValueFactory = _ => 6000 };
        var keys = new Option<int>("--null-keys") { Description = "Other keys each unmarked window is also tested with.", DefaultValueFactory = _ => 4 };
        var batch = new Option<int>("--batch") { Description = "Engine batch size while generating clips.", DefaultValueFactory = _ => 8 };
        var command = new Command("bench-watermark", "Measure the watermark: robustness to edits, false positives, imperceptibility, cost.")
        {
            bundle, clips, output, synthetic, keys, batch,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(
            ScoreCommand.BundlePath(parse.GetValue(bundle)),
            parse.GetValue(output)?.FullName ?? Path.Combine(RepoLayout.Root, "out", "bench-watermark"),
            Math.Max(1, parse.GetValue(clips)), Math.Max(0, parse.GetValue(synthetic)), Math.Max(0, parse.GetValue(keys)), Math.Max(1, parse.GetValue(batch)),
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string bundlePath, string folder, int clipCount, int syntheticCount, int nullKeys, int batch, CancellationToken cancellationToken)
    {
        IReadOnlyList<BenchClip> clips;
        try
        {
            clips = await BenchClips.LoadOrGenerateAsync(bundlePath, Path.Combine(folder, "clips"), clipCount, batch, Console.Error, cancellationToken);
        }
        catch (BundleLoadException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return ExitCodes.BadBundle;
        }

        var key = WatermarkKey.FromSecret(BenchSecret);
        var otherKeys = Enumerable.Range(0, nullKeys).Select(i => WatermarkKey.FromSecret($"{BenchSecret} / null key {i}")).ToArray();
        Print("bundle", Path.GetFileName(bundlePath));
        Print("clips", $"{clips.Count} engine outputs ({clips[0].Samples.Length / (double)WatermarkScheme.SampleRate:F2} s each), cached in {Path.Combine(folder, "clips")}");
        Print("scheme", $"{WatermarkScheme.Name}, key {key.Id}, target SNR {WatermarkScheme.TargetSnrDb} dB");
        Print("threshold", WatermarkScheme.DetectionThreshold.ToString("F2", CultureInfo.InvariantCulture));
        Print("false_alarm_bound_per_window", WatermarkScheme.FalseAlarmBound(WatermarkScheme.DetectionThreshold).ToString("0.0e+00", CultureInfo.InvariantCulture));

        var marked = Mark(clips, key);
        Imperceptibility(clips, marked);
        Cost(clips, marked, key);
        await RobustnessAsync(clips, marked, key, cancellationToken);
        await FalsePositivesAsync(clips, marked, key, otherKeys, syntheticCount, cancellationToken);
        return ExitCodes.Success;
    }

    private sealed record MarkedClip(float[] Samples, WatermarkPayload Payload, double SnrDb, double EmbedMs);

    /// <summary>Marks every clip on this thread (the embedding time is one core's).</summary>
    private static MarkedClip[] Mark(IReadOnlyList<BenchClip> clips, WatermarkKey key)
    {
        _ = WatermarkEmbedder.Embed(clips[0].Samples, key, new WatermarkPayload(0), out _); // warm-up: JIT
        return [.. clips.Select(clip =>
        {
            var payload = WatermarkPayload.FromText(clip.Name);
            var samples = new float[clip.Samples.Length];
            var started = Stopwatch.GetTimestamp();
            var embedding = WatermarkEmbedder.Embed(clip.Samples, samples, key, payload, maxDegreeOfParallelism: 1);
            return new MarkedClip(samples, payload, embedding.SnrDb, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        })];
    }

    private static void Imperceptibility(IReadOnlyList<BenchClip> clips, MarkedClip[] marked)
    {
        var differences = clips.Select((c, i) => marked[i].Samples.Zip(c.Samples, (m, o) => m - o).ToArray()).ToArray();
        Print("snr_db_mean", marked.Average(m => m.SnrDb));
        Print("snr_db_min", marked.Min(m => m.SnrDb));
        Print("mark_spectral_flatness_mean", differences.Average(d => MarkSpectrum.Flatness(d)));
        Print("original_spectral_flatness_mean", clips.Average(c => MarkSpectrum.Flatness(c.Samples)));
        Print("mark_peak_prominence_db_max", differences.Max(d => MarkSpectrum.PeakProminenceDb(d)));
        Print("original_peak_prominence_db_median", Median(clips.Select(c => MarkSpectrum.PeakProminenceDb(c.Samples))));
    }

    /// <summary>
    /// Wall time per clip is the median over 40 clips (a shared machine's other work inflates some); CPU time is the
    /// process's over the same loop, which runs on one thread, so it is the work done whatever else the machine runs.
    /// </summary>
    private static void Cost(IReadOnlyList<BenchClip> clips, MarkedClip[] marked, WatermarkKey key)
    {
        _ = WatermarkDetector.Detect(marked[0].Samples, key); // warm-up: JIT
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var detectMs = marked.Take(40).Select(m =>
        {
            var started = Stopwatch.GetTimestamp();
            _ = WatermarkDetector.Detect(m.Samples, key);
            return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }).ToArray();
        process.Refresh();
        var detectCpuMs = (process.TotalProcessorTime - cpuBefore).TotalMilliseconds / detectMs.Length;
        var seconds = clips[0].Samples.Length / (double)WatermarkScheme.SampleRate;
        Print("detect_ms_per_clip_one_core", Median(detectMs));
        Print("detect_cpu_ms_per_clip", detectCpuMs);
        Print("detect_x_realtime_one_core", seconds * 1000 / Median(detectMs));
        Print("embed_ms_per_clip_one_core", Median(marked.Select(m => m.EmbedMs)));
        Print("engine_ms_per_clip", clips.Average(c => c.EngineMs));
        Print("embed_share_of_engine_time", Median(marked.Select(m => m.EmbedMs)) / clips.Average(c => c.EngineMs));
    }

    private static async Task RobustnessAsync(IReadOnlyList<BenchClip> clips, MarkedClip[] marked, WatermarkKey key, CancellationToken cancellationToken)
    {
        foreach (var (attack, a) in Attacks.All.Select((attack, a) => (attack, a)))
        {
            var results = new ConcurrentBag<(string Clip, bool Present, bool Payload, double Statistic)>();
            await Parallel.ForEachAsync(Enumerable.Range(0, clips.Count), new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount }, async (i, ct) =>
            {
                var directory = Directory.CreateTempSubdirectory("echopipe-bench-").FullName;
                try
                {
                    // Seeded by clip and edit only (HashCode is salted per process), so reruns draw the same cuts and noise.
                    var random = new Random((i * 100) + a);
                    var edited = await attack.Apply(marked[i].Samples, random, directory, ct);
                    var detection = WatermarkDetector.Detect(edited, key);
                    results.Add((clips[i].Name, detection.Present, detection.Payload == marked[i].Payload, detection.Statistic));
                }
                finally
                {
                    Directory.Delete(directory, recursive: true);
                }
            });
            var rows = results.ToArray();
            Print($"detect_{attack.Name}", Rate(rows.Count(r => r.Present), rows.Length));
            Print($"payload_{attack.Name}", Rate(rows.Count(r => r.Payload), rows.Length));
            Print($"statistic_min_{attack.Name}", rows.Min(r => r.Statistic));
            Print($"statistic_median_{attack.Name}", Median(rows.Select(r => r.Statistic)));
            if (rows.Any(r => !r.Present))
            {
                Print($"missed_{attack.Name}", string.Join(' ', rows.Where(r => !r.Present).Select(r => r.Clip).Order(StringComparer.Ordinal)));
            }
            await Console.Error.WriteLineAsync($"{attack.Name}: done");
        }
    }

    private static async Task FalsePositivesAsync(
        IReadOnlyList<BenchClip> clips, MarkedClip[] marked, WatermarkKey key, WatermarkKey[] otherKeys, int syntheticCount, CancellationToken cancellationToken)
    {
        var world = await NullWindows.WorldClipsAsync(cancellationToken);
        NullFamily[] families =
        [
            new("generated_unmarked", [.. clips.SelectMany(c => NullWindows.ThreeSecondWindows(c.Samples))], [key, .. otherKeys]),
            new("world_clips", [.. world.SelectMany(NullWindows.ThreeSecondWindows)], [key, .. otherKeys]),
            new("marked_with_another_key", [.. marked.Select(m => m.Samples)], otherKeys),
            new("synthetic", [.. NullWindows.Synthetic(syntheticCount, seed: 19)], [key]),
        ];
        var statistics = new List<double>();
        var (total, falsePositives) = (0, 0);
        foreach (var family in families)
        {
            var values = new ConcurrentBag<double>();
            Parallel.ForEach(family.Windows, new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount }, window =>
            {
                foreach (var k in family.Keys)
                {
                    values.Add(WatermarkDetector.Detect(window, k).Statistic);
                }
            });
            var found = values.Count(z => z >= WatermarkScheme.DetectionThreshold);
            Print($"null_{family.Name}", $"{found}/{values.Count} false positives ({family.Windows.Count} windows x {family.Keys.Count} keys), max statistic {values.Max():F2}");
            statistics.AddRange(values);
            (total, falsePositives) = (total + values.Count, falsePositives + found);
        }

        Print("null_tests", total);
        Print("false_positives", falsePositives);
        Print("false_positive_rate", (falsePositives / (double)total).ToString("0.0e+00", CultureInfo.InvariantCulture));
        Print("null_statistic_max", statistics.Max());
        Print("null_statistic_median", Median(statistics));
        foreach (var t in TailThresholds)
        {
            var observed = statistics.Count(z => z >= t) / (double)statistics.Count;
            Print(string.Create(CultureInfo.InvariantCulture, $"null_tail_at_{t:F1}"),
                string.Create(CultureInfo.InvariantCulture, $"{observed:0.0e+00} observed, bound {WatermarkScheme.FalseAlarmBound(t):0.0e+00}"));
        }
    }

    private static string Rate(int hits, int total) => string.Create(CultureInfo.InvariantCulture, $"{hits / (double)total:F3} ({hits}/{total})");

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[sorted.Length / 2];
    }

    private static void Print(string name, object value) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {(value is double d ? d.ToString("0.####", CultureInfo.InvariantCulture) : value)}"));
}
