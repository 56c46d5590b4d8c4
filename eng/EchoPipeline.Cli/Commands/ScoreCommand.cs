using System.CommandLine;
using System.Globalization;
using EchoPipeline.Engine.Audio;
using EchoPipeline.Engine.Bundles;
using EchoPipeline.Cli.Scoring;
using EchoPipeline.Cli.Verification;
using EchoPipeline.Engine.Generation;
using EchoPipeline.Engine.Generation.Continuation;
using EchoPipeline.Media;
using Spectre.Console;

namespace EchoPipeline.Cli.Commands;

/// <summary>
/// `score`: runs the engine on local files, or every file below a folder (outputs under the same relative folders).
/// --mode audio: images in, DIR/&lt;stem&gt;.wav out (with --variations K,
/// &lt;stem&gt;-v&lt;k&gt;.wav with seed + k); --mode image: audio files in, DIR/&lt;stem&gt;.png out; --mode both: each
/// input by its kind (audio extensions give PNGs, anything else WAVs). FFmpeg decodes and encodes the files.
/// </summary>
internal static class ScoreCommand
{
    // The mel front end reads 10 s; decoding more would only be thrown away.
    private const double AudioClipSeconds = 10;

    private static readonly string[] AudioExtensions = [".wav", ".flac", ".mp3", ".ogg", ".m4a", ".aac"];

    public static Command Create()
    {
        var inputs = new Argument<FileSystemInfo[]>("INPUT")
        {
            Description = "Images or videos (one frame per ~9.85 s window) or, with --mode image, audio files; a folder stands for every file below it.",
            Arity = ArgumentArity.OneOrMore,
        };
        inputs.AcceptExistingOnly();
        var output = new Option<DirectoryInfo>("--output", "-o") { Description = "Folder for the outputs.", Required = true };
        var seed = new Option<long>("--seed") { Description = "Seed of the first output; variation k uses seed + k.", DefaultValueFactory = _ => 0 };
        var steps = new Option<int?>("--steps") { Description = "Unmasking steps N (default: the bundle's)." };
        var temperature = new Option<double?>("--temperature") { Description = "Confidence noise temperature T (default: the bundle's)." };
        var guidance = new Option<float?>("--guidance") { Description = "Classifier-free guidance scale s (default: the bundle's)." };
        var variations = new Option<int>("--variations") { Description = "Outputs per input.", DefaultValueFactory = _ => 1 };
        var bundle = new Option<DirectoryInfo?>("--bundle") { Description = "Model bundle folder (default: models/echo-demo, else the tiny test bundle)." };
        var mode = new Option<string>("--mode") { Description = "audio: image -> WAV; image: audio -> PNG; both: by input kind.", DefaultValueFactory = _ => "audio" };
        mode.AcceptOnlyFromAmong("audio", "image", "both");
        var batch = new Option<int>("--batch") { Description = "Requests per model batch (and most windows of a long video per batch).", DefaultValueFactory = _ => 4 };

        var command = new Command("score", "Generate sound for images (or images for sound) with a local model bundle.")
        {
            inputs, output, seed, steps, temperature, guidance, variations, bundle, mode, batch,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(
            new ScoreSettings(
                ScoreInputs.Expand(parse.GetValue(inputs)!, parse.GetValue(output)!), parse.GetValue(output)!, parse.GetValue(seed), parse.GetValue(steps), parse.GetValue(temperature),
                parse.GetValue(guidance), parse.GetValue(variations), BundlePath(parse.GetValue(bundle)), parse.GetValue(mode)!, parse.GetValue(batch)),
            cancellationToken));
        return command;
    }

    /// <summary>models/echo-demo when it exists, else the tiny test bundle (random weights: checks the plumbing only).</summary>
    internal static string BundlePath(DirectoryInfo? given)
    {
        if (given is not null)
        {
            return given.FullName;
        }

        var demo = Path.Combine(RepoLayout.Root, "models", "echo-demo");
        return Directory.Exists(demo) ? demo : Path.Combine(RepoLayout.Root, "tests", "fixtures", "bundles", "tiny");
    }

    private static async Task<int> RunAsync(ScoreSettings settings, CancellationToken cancellationToken)
    {
        if (settings.Variations < 1 || settings.Batch < 1)
        {
            await Console.Error.WriteLineAsync("--variations and --batch must be at least 1.");
            return ExitCodes.UsageError;
        }

        if (settings.Inputs.Count == 0)
        {
            await Console.Error.WriteLineAsync("error: the folders given hold no files to score.");
            return ExitCodes.UsageError;
        }

        var jobs = settings.Inputs.SelectMany(input => Enumerable.Range(0, settings.Variations).Select(k => new ScoreJob(input, k, ToAudio(input.File, settings.Mode)))).ToArray();
        if (ScoreInputs.FirstClash(jobs.Select(job => (job.Input, OutputName(job, settings.Variations)))) is var (first, second, clash))
        {
            // Checked before any work: the second would overwrite the first's output without a word.
            await Console.Error.WriteLineAsync(OneLine($"error: '{first}' and '{second}' would both write '{clash}'; rename one or score them into different --output folders."));
            return ExitCodes.UsageError;
        }

        var watermark = CliWatermark.Policy(out var problem);
        if (watermark is null)
        {
            await Console.Error.WriteLineAsync($"error: {problem}");
            return ExitCodes.UsageError;
        }

        EchoModel model;
        try
        {
            model = EchoModel.Load(settings.Bundle, cancellationToken: cancellationToken);
        }
        catch (BundleLoadException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return ExitCodes.BadBundle;
        }

        using (model)
        {
            settings.Output.Create();
            var failures = 0;
            try
            {
                var generator = new EchoGenerator(model, watermark: watermark);
                async Task ScoreAllAsync(Action<int> scored)
                {
                    foreach (var chunk in jobs.Chunk(settings.Batch))
                    {
                        failures += await ScoreBatchAsync(generator, chunk, settings, cancellationToken);
                        scored(chunk.Length);
                    }
                }

                // A live progress bar only on a terminal: Spectre allows one live display per process at a time, and
                // pipes, CI logs and in-process callers want the plain result lines alone.
                if (AnsiConsole.Profile.Capabilities.Interactive && !Console.IsOutputRedirected)
                {
                    await AnsiConsole.Progress().StartAsync(async progress =>
                    {
                        var task = progress.AddTask($"scoring with {model.BundleId}", maxValue: jobs.Length);
                        await ScoreAllAsync(n => task.Increment(n));
                    });
                }
                else
                {
                    await ScoreAllAsync(_ => { });
                }
            }
            catch (OperationCanceledException)
            {
                await Console.Error.WriteLineAsync("cancelled");
                return ExitCodes.Cancelled;
            }

            return failures == 0 ? ExitCodes.Success : ExitCodes.SomeInputsFailed;
        }
    }

    private static async Task<int> ScoreBatchAsync(EchoGenerator generator, ScoreJob[] jobs, ScoreSettings settings, CancellationToken cancellationToken)
    {
        var media = new LocalMedia();
        var requests = new List<(ScoreJob Job, EchoRequest Request)>();
        var failures = 0;
        foreach (var job in jobs)
        {
            try
            {
                var request = await RequestForAsync(media, job, settings, generator.Model.Mel.SampleRate, cancellationToken);
                if (request.Windows.Count > 1)
                {
                    // Longer than one window or cut: the engine's soundtrack (continuation within shots), its shots'
                    // windows in batches of --batch.
                    var result = (await generator.GenerateSoundtracksAsync([new SoundtrackRequest(request.Windows, request.Template)], settings.Batch, cancellationToken))[0];
                    await WriteWavAsync(job, settings, result.Waveform, result.SampleRate, result.Provenance, $"{result.Windows.Count} windows", cancellationToken);
                }
                else
                {
                    requests.Add((job, request.Windows.Count == 1 ? request.Template with { Image = request.Windows[0].Image } : request.Template));
                }
            }
            catch (MediaException e)
            {
                // One line per refused input, code first after the name; FFmpeg's own output stays in e.ToolOutput.
                failures++;
                await Console.Error.WriteLineAsync(OneLine($"{job.Input.Display}: {e.ErrorCode}: {e.Message}"));
            }
        }

        if (requests.Count == 0)
        {
            return failures;
        }

        var results = await generator.GenerateAsync(requests.Select(r => r.Request).ToArray(), cancellationToken);
        for (var i = 0; i < results.Count; i++)
        {
            var (job, result) = (requests[i].Job, results[i]);
            var batch = $"batch of {result.Timings.BatchSize}, {result.Timings.Total.TotalMilliseconds:F0} ms";
            if (job.ToAudio)
            {
                await WriteWavAsync(job, settings, result.Waveform!, result.SampleRate, result.Provenance, batch, cancellationToken);
            }
            else
            {
                var path = OutputPath(job, settings);
                await LocalMedia.WritePngAsync(result.Image!, path, cancellationToken);
                AnsiConsole.MarkupLineInterpolated($"{job.Input.Display} -> {path} ({batch})");
            }
        }

        return failures;
    }

    private static async Task WriteWavAsync(
        ScoreJob job, ScoreSettings settings, float[] waveform, int sampleRate, GenerationProvenance provenance, string detail, CancellationToken cancellationToken)
    {
        var path = OutputPath(job, settings);
        await File.WriteAllBytesAsync(path, WavWriter.Encode(waveform, sampleRate, provenance.ToWavInfo()), cancellationToken);
        AnsiConsole.MarkupLineInterpolated($"{job.Input.Display} -> {path} ({detail})");
    }

    /// <summary>
    /// Images and videos give windows (one frame each, fresh at cuts) and a video its length; audio inputs give the clip
    /// to turn into an image.
    /// </summary>
    private static async Task<(EchoRequest Template, IReadOnlyList<SoundtrackWindow> Windows)> RequestForAsync(
        LocalMedia media, ScoreJob job, ScoreSettings settings, int sampleRate, CancellationToken cancellationToken)
    {
        var request = new EchoRequest
        {
            Seed = settings.Seed + job.Variation, Steps = settings.Steps, Temperature = settings.Temperature, Guidance = settings.Guidance,
        };
        if (!job.ToAudio)
        {
            return (request with { Mode = GenerationMode.AudioToImage, Audio = await media.ReadAudioAsync(job.Input.File.FullName, sampleRate, AudioClipSeconds, cancellationToken) }, []);
        }

        var (windows, length) = await media.ReadWindowsAsync(job.Input.File.FullName, sampleRate, cancellationToken);
        return (request with { LengthSamples = length }, windows);
    }

    /// <summary>File names may hold line breaks and other control characters; an error stays on its line.</summary>
    private static string OneLine(string text) => string.Concat(text.Select(c => char.IsControl(c) ? '?' : c));

    private static bool ToAudio(FileInfo input, string mode) => mode switch
    {
        "audio" => true,
        "image" => false,
        _ => !AudioExtensions.Contains(input.Extension.ToLowerInvariant()),
    };

    private static string OutputName(ScoreJob job, int variations)
    {
        var suffix = variations > 1 ? string.Create(CultureInfo.InvariantCulture, $"-v{job.Variation}") : "";
        return job.Input.Stem + suffix + (job.ToAudio ? ".wav" : ".png");
    }

    /// <summary>The output's path, its folders created (a folder input's subfolders reappear under --output).</summary>
    private static string OutputPath(ScoreJob job, ScoreSettings settings)
    {
        var path = Path.Combine(settings.Output.FullName, OutputName(job, settings.Variations));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return path;
    }

    private sealed record ScoreJob(ScoreInput Input, int Variation, bool ToAudio);

    private sealed record ScoreSettings(
        IReadOnlyList<ScoreInput> Inputs, DirectoryInfo Output, long Seed, int? Steps, double? Temperature, float? Guidance, int Variations, string Bundle, string Mode, int Batch);
}
