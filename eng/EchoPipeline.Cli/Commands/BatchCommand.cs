using System.CommandLine;
using System.Globalization;
using EchoPipeline.Cli.Batch;
using EchoPipeline.Cli.LocalPipeline;
using EchoPipeline.Ingest;

namespace EchoPipeline.Cli.Commands;

/// <summary>
/// `batch`: dataset augmentation. Every input of a manifest (or a folder) gets K variations; the WAVs go to OUT/audio/
/// and one line per output to OUT/dataset.jsonl (docs/datasets.md). Runs the local pipeline `demo` runs, or, given an
/// account, the deployed one. A rerun skips what is done, so an interrupted run resumes.
/// </summary>
internal static class BatchCommand
{
    public static Command Create()
    {
        var manifest = new Option<FileInfo?>("--manifest") { Description = "A .csv (with an 'input' column) or .jsonl manifest; paths are relative to its folder." };
        var inputs = new Option<DirectoryInfo?>("--inputs") { Description = "A folder whose files are the inputs (instead of --manifest)." };
        var variations = new Option<int>("--variations") { Description = "Variations per input (a row's 'variations' overrides it).", DefaultValueFactory = _ => 1 };
        var output = new Option<DirectoryInfo>("--out") { Description = "Output folder: dataset.jsonl, summary.json, audio/.", Required = true };
        var seed = new Option<long>("--seed") { Description = "Base seed; each output's seed derives from it, the input's content hash and the variation.", DefaultValueFactory = _ => 0 };
        var steps = new Option<int?>("--steps") { Description = "Unmasking steps N (default: the pipeline's)." };
        var temperature = new Option<double?>("--temperature") { Description = "Sampling temperature T (default: the pipeline's)." };
        var guidance = new Option<double?>("--guidance") { Description = "Classifier-free guidance scale s (default: the pipeline's)." };
        var workers = new Option<int>("--workers") { Description = "Local worker processes.", DefaultValueFactory = _ => 2 };
        var bundle = new Option<DirectoryInfo?>("--bundle") { Description = "Model bundle for the local workers (default: models/echo-demo, else the tiny test bundle)." };
        var bundleId = new Option<string?>("--bundle-id") { Description = "With an account: id of the bundle its workers run, which job ids name (the ingest's Ingest:BundleId; default echo-demo-3). Locally the --bundle's own id." };
        var timeout = new Option<int>("--timeout") { Description = "Seconds to wait for the jobs; unfinished ones are picked up by the next run.", DefaultValueFactory = _ => 3600 };
        var submitOnly = new Option<bool>("--submit-only") { Description = "Stage the inputs and create the jobs, then stop (no waiting, no dataset)." };
        var storage = new StorageTarget();
        var command = new Command("batch", "Generate K variations per input of a manifest into a dataset (dataset.jsonl + WAVs); resumable.")
        {
            manifest, inputs, variations, output, seed, steps, temperature, guidance, workers, bundle, bundleId, timeout, submitOnly,
        };
        storage.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var manifestFile = parse.GetValue(manifest);
            var inputsFolder = parse.GetValue(inputs);
            string? usage = (manifestFile, inputsFolder) switch
            {
                (null, null) or (not null, not null) => "give --manifest FILE or --inputs DIR (one of them).",
                ({ Exists: false } m, _) => $"the manifest {m.FullName} does not exist.",
                (_, { Exists: false } d) => $"the folder {d.FullName} does not exist.",
                _ when parse.GetValue(variations) is < 1 or > BatchJobs.MaxVariations => $"--variations must be 1-{BatchJobs.MaxVariations}.",
                _ when parse.GetValue(workers) is < 1 or > 16 => "--workers must be 1-16.",
                _ when parse.GetValue(timeout) < 1 => "--timeout must be at least 1.",
                _ when parse.GetValue(seed) is < 0 or > uint.MaxValue => $"--seed must be 0-{uint.MaxValue}.",
                _ => null,
            };
            if (usage is not null)
            {
                await Console.Error.WriteLineAsync($"batch: {usage}");
                return ExitCodes.UsageError;
            }

            var settings = new BatchSettings(manifestFile?.FullName, inputsFolder?.FullName, parse.GetValue(output)!.FullName, parse.GetValue(variations),
                parse.GetValue(seed), TimeSpan.FromSeconds(parse.GetValue(timeout)))
            {
                Steps = parse.GetValue(steps), Temperature = parse.GetValue(temperature), Guidance = parse.GetValue(guidance), SubmitOnly = parse.GetValue(submitOnly),
            };
            try
            {
                var remote = parse.GetResult(storage.ConnectionString) is { Implicit: false } || parse.GetValue(storage.BlobEndpoint) is not null;
                var account = remote ? storage.Options(parse) : null;
                var bundlePath = ScoreCommand.BundlePath(parse.GetValue(bundle));
                settings = settings with
                {
                    BundleId = account is not null
                        ? parse.GetValue(bundleId) ?? IngestOptions.DefaultBundleId
                        : LocalPipelineHost.BundleIdOf(bundlePath),
                };
                Func<CancellationToken, Task<BatchBackend>> start = account is not null
                    ? _ => Task.FromResult(BatchBackend.Remote(account, settings.BundleId))
                    : ct => BatchBackend.StartLocalAsync(parse.GetValue(workers), bundlePath, null, ct);
                return await RunAsync(settings, start, cancellationToken);
            }
            catch (LocalPipelineException e)
            {
                await Console.Error.WriteLineAsync($"batch: {e.Message}");
                return e.ExitCode;
            }
        });
        return command;
    }

    internal static async Task<int> RunAsync(BatchSettings settings, Func<CancellationToken, Task<BatchBackend>> start, CancellationToken cancellationToken)
    {
        IBatchProgress progress = Console.IsOutputRedirected || Environment.GetEnvironmentVariable("CI") is { Length: > 0 }
            ? new PlainProgress(Console.Out, TimeSpan.FromSeconds(5))
            : new TerminalProgress(Console.Out);
        try
        {
            var summary = await new BatchRunner(settings, start, progress, TimeProvider.System).RunAsync(cancellationToken);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{summary.Rows} rows, {summary.Outputs} outputs: {summary.Succeeded} succeeded, {summary.Failed} failed; {summary.Generated} generated in {summary.Seconds:0.0} s ({summary.ClipsPerSecond:0.00} clips/s), {summary.Reused} from earlier runs."));
            if (!settings.SubmitOnly)
            {
                Console.WriteLine($"dataset: {Path.Combine(settings.OutFolder, BatchRunner.DatasetFileName)}");
            }

            return summary.AllSucceeded ? ExitCodes.Success : ExitCodes.SomeInputsFailed;
        }
        catch (FormatException e)
        {
            await Console.Error.WriteLineAsync($"batch: {e.Message}");
            return ExitCodes.UsageError;
        }
        catch (LocalPipelineException e)
        {
            await Console.Error.WriteLineAsync($"batch: {e.Message}");
            return e.ExitCode;
        }
        catch (Exception e) when (StorageErrors.IsUnreachable(e))
        {
            await Console.Error.WriteLineAsync($"batch: {StorageErrors.Unreachable(e).Message}");
            return ExitCodes.EnvironmentMissing;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("batch: cancelled; finished jobs are kept, run the same command again to resume.");
            return ExitCodes.Cancelled;
        }
    }
}
