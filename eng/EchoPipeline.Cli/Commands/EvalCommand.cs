using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using EchoPipeline.Cli.Evaluation;
using EchoPipeline.Cli.Scoring;
using EchoPipeline.Engine.Audio;
using EchoPipeline.Engine.Bundles;
using EchoPipeline.Engine.Generation;

namespace EchoPipeline.Cli.Commands;

/// <summary>
/// `eval`: generates sound for the held-out world images of a bundle's evaluation set (and images for its sounds) and
/// prints `name: value` lines. Measures are in Evaluation/: the mel-domain spectral-centroid band (class k is band k),
/// the documented steady/pulsed/noise rules, the Fréchet distance on per-band mel means, the dominant hue class.
/// `*_real` lines apply the same measures to the real clips and images, `*_codec` ones to real clips passed through
/// the audio tokenizer, decoder and vocoder: the ceilings the generated figures are to be read against. Generated
/// figures are named `_s{guidance}_n{steps}`, one run per pair of `--guidance` and `--steps` values; with
/// `--repeats R` each pair runs R times on other generation seeds and prints the mean with `_min` and `_max`, since on
/// a set this small the seed alone moves band and pattern accuracy by several samples.
/// </summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var bundle = new Option<DirectoryInfo?>("--bundle") { Description = "Model bundle folder (default: models/echo-demo, else the tiny test bundle)." };
        var count = new Option<int?>("--count") { Description = "Use the first N samples of the set (default: all)." };
        var set = new Option<DirectoryInfo?>("--set") { Description = "Evaluation set folder with labels.json (default: the bundle's eval/)." };
        var seed = new Option<long>("--seed") { Description = "Seed of the first sample; sample i uses seed + i.", DefaultValueFactory = _ => 0 };
        var batch = new Option<int>("--batch") { Description = "Requests per model batch.", DefaultValueFactory = _ => 8 };
        var guidance = new Option<float[]>("--guidance")
        {
            Description = "Classifier-free guidance scales to run (default: 1 and the paper's 3).", AllowMultipleArgumentsPerToken = true,
            DefaultValueFactory = _ => [1f, 3f],
        };
        var steps = new Option<int[]>("--steps") { Description = "Unmasking step counts to run (default: the bundle's).", AllowMultipleArgumentsPerToken = true };
        var repeats = new Option<int>("--repeats")
        {
            Description = "Runs of each guidance and step count, on other generation seeds (run r: seed + r x the set's size); the figures are their mean, with _min and _max.",
            DefaultValueFactory = _ => 1,
        };
        var json = new Option<FileInfo?>("--json") { Description = "Also write every measure to this JSON file." };
        var command = new Command("eval", "Check a bundle on held-out samples of the synthetic world: band, pattern, Fréchet distance, hue.")
        {
            bundle, count, set, seed, batch, guidance, steps, repeats, json,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var bundlePath = ScoreCommand.BundlePath(parse.GetValue(bundle));
            var setPath = parse.GetValue(set)?.FullName ?? Path.Combine(bundlePath, "eval");
            var runs = new EvalRuns(parse.GetValue(guidance) ?? [], parse.GetValue(steps) ?? [], parse.GetValue(repeats));
            return RunAsync(bundlePath, setPath, parse.GetValue(count), parse.GetValue(seed), parse.GetValue(batch), runs, parse.GetValue(json)?.FullName, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(string bundlePath, string setPath, int? count, long seed, int batch, EvalRuns runs, string? jsonPath, CancellationToken cancellationToken)
    {
        IReadOnlyList<WorldSample> samples;
        try
        {
            samples = WorldSet.Load(setPath);
        }
        catch (Exception e) when (e is InvalidDataException or System.Text.Json.JsonException)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return ExitCodes.UsageError;
        }

        if (count is < 2 || batch < 1)
        {
            await Console.Error.WriteLineAsync("--count must be at least 2 and --batch at least 1.");
            return ExitCodes.UsageError;
        }

        if (runs.Problem is { } problem)
        {
            await Console.Error.WriteLineAsync(problem);
            return ExitCodes.UsageError;
        }

        samples = [.. samples.Take(count ?? samples.Count)];
        EchoModel model;
        try
        {
            model = EchoModel.Load(bundlePath, cancellationToken: cancellationToken);
        }
        catch (BundleLoadException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return ExitCodes.BadBundle;
        }

        using (model)
        {
            try
            {
                var report = new EvalReport();
                await EvaluateAsync(model, samples, seed, batch, runs, report, cancellationToken);
                if (jsonPath is not null)
                {
                    await report.SaveAsync(jsonPath, cancellationToken);
                }
            }
            catch (OperationCanceledException)
            {
                await Console.Error.WriteLineAsync("cancelled");
                return ExitCodes.Cancelled;
            }
        }

        return ExitCodes.Success;
    }

    private static async Task EvaluateAsync(EchoModel model, IReadOnlyList<WorldSample> samples, long seed, int batch, EvalRuns runs, EvalReport report, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var media = new LocalMedia();
        var frontEnd = new MelFrontEnd(model.Mel);
        var images = new List<byte[]>();
        var clips = new List<float[]>();
        foreach (var sample in samples)
        {
            images.Add((await media.ReadFramesAsync(sample.ImagePath, cancellationToken))[0]);
            clips.Add(await media.ReadAudioAsync(sample.AudioPath, model.Mel.SampleRate, model.Mel.ClipSeconds, cancellationToken));
        }

        report.Add("bundle", model.BundleId);
        report.Add("count", samples.Count.ToString(CultureInfo.InvariantCulture));
        var real = Measure(clips, frontEnd);
        report.Add("band_accuracy_real", EvalScores.BandAccuracy(real, samples));
        report.Add("pattern_accuracy_real", EvalScores.PatternAccuracy(real, samples));
        report.Add("image_hue_accuracy_real", images.Zip(samples).Average(p => HueClassifier.ClassOf(p.First) == p.Second.Label ? 1.0 : 0.0));
        if (model.AudioTokenizer is not null)
        {
            var codec = Measure(Resynthesize(model, frontEnd, clips, cancellationToken), frontEnd);
            report.Add("band_accuracy_codec", EvalScores.BandAccuracy(codec, samples));
            report.Add("pattern_accuracy_codec", EvalScores.PatternAccuracy(codec, samples));
            report.Add("fd_mel_codec", EvalScores.FrechetMel(codec, real));
        }

        var generator = new EchoGenerator(model);
        // Guidance and steps come from the options; the temperature is the bundle's image-to-audio default.
        var defaults = model.DefaultsFor(GenerationMode.ImageToAudio);
        report.Add("defaults", string.Create(CultureInfo.InvariantCulture, $"N={defaults.Steps} T={defaults.Temperature} s={defaults.Guidance}"));
        report.Add("guidance_space", model.GuidanceSpace.ToString().ToLowerInvariant());
        foreach (var (guidance, steps) in runs.Pairs(defaults.Steps))
        {
            var suffix = string.Create(CultureInfo.InvariantCulture, $"s{guidance}_n{steps}");
            var (band, pattern, frechet) = (new List<double>(), new List<double>(), new List<double>());
            for (var r = 0; r < runs.Repeats; r++)
            {
                var first = seed + ((long)r * samples.Count);
                var requests = images.Select((image, i) => new EchoRequest { Image = image, Seed = first + i, Steps = steps, Guidance = guidance }).ToArray();
                var results = await GenerateAsync(generator, requests, batch, cancellationToken);
                var generated = Measure([.. results.Select(result => result.Waveform!)], frontEnd);
                band.Add(EvalScores.BandAccuracy(generated, samples));
                pattern.Add(EvalScores.PatternAccuracy(generated, samples));
                frechet.Add(EvalScores.FrechetMel(generated, real));
            }

            AddRuns(report, $"band_accuracy_{suffix}", band);
            AddRuns(report, $"pattern_accuracy_{suffix}", pattern);
            AddRuns(report, $"fd_mel_{suffix}", frechet);
        }

        if (model.AudioTokenizer is not null && model.ImageDetokenizer is not null)
        {
            var requests = clips.Select((clip, i) => new EchoRequest { Mode = GenerationMode.AudioToImage, Audio = clip, Seed = seed + i }).ToArray();
            var results = await GenerateAsync(generator, requests, batch, cancellationToken);
            report.Add("image_hue_accuracy", results.Zip(samples).Average(p => HueClassifier.ClassOf(p.First.Image!) == p.Second.Label ? 1.0 : 0.0));
        }

        report.Add("seconds", clock.Elapsed.TotalSeconds);
    }

    /// <summary>One run's figure as it is; several runs' mean, then their smallest and largest.</summary>
    private static void AddRuns(EvalReport report, string name, List<double> runs)
    {
        report.Add(name, runs.Average());
        if (runs.Count > 1)
        {
            report.Add($"{name}_min", runs.Min());
            report.Add($"{name}_max", runs.Max());
        }
    }

    private static async Task<List<EchoResult>> GenerateAsync(EchoGenerator generator, EchoRequest[] requests, int batch, CancellationToken cancellationToken)
    {
        var results = new List<EchoResult>();
        foreach (var chunk in requests.Chunk(batch))
        {
            results.AddRange(await generator.GenerateAsync(chunk, cancellationToken));
        }

        return results;
    }

    /// <summary>Real clips through the bundle's audio tokenizer, audio decoder and vocoder.</summary>
    private static List<float[]> Resynthesize(EchoModel model, MelFrontEnd frontEnd, List<float[]> clips, CancellationToken cancellationToken)
    {
        var mels = clips.SelectMany(c => frontEnd.Compute(c)).ToArray();
        var tokens = model.AudioTokenizer!.Tokenize(mels, cancellationToken);
        var waveforms = model.Vocoder.Synthesize(model.AudioDetokenizer.Decode(tokens, cancellationToken), cancellationToken);
        var samples = model.Vocoder.Samples;
        return [.. Enumerable.Range(0, clips.Count).Select(i => waveforms.AsSpan(i * samples, samples).ToArray())];
    }

    private static List<ClipMeasures> Measure(List<float[]> clips, MelFrontEnd frontEnd) =>
        [.. clips.AsParallel().AsOrdered().Select(c => ClipMeasures.Of(PowerMel.Of(c, frontEnd)))];
}
