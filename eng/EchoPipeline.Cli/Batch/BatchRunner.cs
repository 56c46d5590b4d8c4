using System.Diagnostics;
using System.Text.Json;
using EchoPipeline.Cli.LocalPipeline;
using EchoPipeline.Jobs;

namespace EchoPipeline.Cli.Batch;

/// <summary>
/// A batch run: stream the manifest, plan each row's jobs (content hash, seeds, job ids), skip the jobs an earlier run
/// of this output folder finished, submit the rest (the pipeline starts only if there are any) and follow them; then
/// write dataset.jsonl in manifest order × variation from the plan and the saved job results, so a rerun with nothing
/// left to do writes the same bytes. A bad row is a failed dataset row; it never stops the others.
/// </summary>
internal sealed class BatchRunner(BatchSettings settings, Func<CancellationToken, Task<BatchBackend>> startBackend, IBatchProgress progress, TimeProvider time)
{
    public const string DatasetFileName = "dataset.jsonl";
    public const string SummaryFileName = "summary.json";

    public async Task<BatchSummary> RunAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var deadline = time.GetUtcNow() + settings.Timeout;
        Directory.CreateDirectory(settings.OutFolder);
        var results = new JobResults(settings.OutFolder);
        var planPath = Path.Combine(settings.OutFolder, JobResults.StateFolder, "plan.jsonl");
        var resolver = new InputResolver(settings.RowsFolder);
        BatchBackend? backend = null;
        JobTracker? tracker = null;
        var rows = 0;
        try
        {
            await using (var plan = new StreamWriter(planPath + ".tmp"))
            {
                foreach (var row in settings.Rows())
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    rows++;
                    var (planned, input, jobs) = await PlanAsync(row, resolver, cancellationToken).ConfigureAwait(false);
                    await plan.WriteLineAsync(JsonSerializer.Serialize(planned, BatchJsonContext.Default.PlannedRow)).ConfigureAwait(false);
                    progress.Planned(planned.Variations);
                    if (planned.Error is not null)
                    {
                        progress.Finished(planned.Variations, failed: true, reused: false);
                    }

                    foreach (var job in jobs)
                    {
                        var count = job.Parameters.Variations ?? 1;
                        if (results.Find(job.Id.Value) is { } done)
                        {
                            progress.Finished(count, failed: done.Status != "succeeded", reused: true);
                        }
                        else if (tracker?.Knows(job.Id.Value) == true)
                        {
                            // An earlier row has the same input and parameters: the same job, followed once.
                            progress.Finished(count, failed: false, reused: true);
                        }
                        else
                        {
                            if (backend is null)
                            {
                                progress.Note("starting the pipeline");
                                backend = await startBackend(cancellationToken).ConfigureAwait(false);
                                tracker = new JobTracker(backend, results, settings.OutFolder, (settings.Window, settings.SubmitConcurrency), settings.SubmitOnly, progress, cancellationToken);
                            }

                            await tracker!.SubmitAsync(job, input!, OutputCollector.SafeName(row.Input), cancellationToken).ConfigureAwait(false);
                        }
                    }
                }
            }

            File.Move(planPath + ".tmp", planPath, overwrite: true);
            if (tracker is not null)
            {
                await tracker.DrainAsync(deadline, time, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            if (tracker is not null)
            {
                await tracker.DisposeAsync().ConfigureAwait(false);
            }

            if (backend is not null)
            {
                progress.Note("stopping the pipeline");
                await backend.DisposeAsync().ConfigureAwait(false);
            }
        }

        progress.Complete();
        var summary = settings.SubmitOnly
            ? new BatchSummary(rows, 0, 0, 0, 0, 0, clock.Elapsed.TotalSeconds)
            : await WriteDatasetAsync(planPath, results, tracker?.Unsettled ?? new Dictionary<string, RowError>(), tracker?.Generated ?? 0, clock, cancellationToken).ConfigureAwait(false);
        await File.WriteAllBytesAsync(Path.Combine(settings.OutFolder, SummaryFileName),
            JsonSerializer.SerializeToUtf8Bytes(summary, BatchJsonContext.Default.BatchSummary), cancellationToken).ConfigureAwait(false);
        return summary;
    }

    private async Task<(PlannedRow Row, ResolvedInput? Input, IReadOnlyList<PlannedJob> Jobs)> PlanAsync(ManifestRow row, InputResolver resolver, CancellationToken cancellationToken)
    {
        var p = row.Parameters;
        var variations = p.Variations ?? settings.Variations;
        var steps = p.Steps ?? settings.Steps;
        var temperature = p.Temperature ?? settings.Temperature;
        var guidance = p.Guidance ?? settings.Guidance;
        PlannedRow Failed(string code, string message) =>
            new(row.Row, row.Input, Math.Clamp(variations, 1, BatchJobs.MaxVariations), null, null, steps, temperature, guidance, new RowError(code, message), []);

        if (row.Problem is { } problem)
        {
            return (Failed(BatchErrorCodes.InvalidRow, $"row {row.Row} {problem}"), null, []);
        }

        var checks = new JobParameters { Steps = steps, Temperature = temperature, Guidance = guidance }.Validate();
        if (variations is < 1 or > BatchJobs.MaxVariations || checks.Count > 0)
        {
            var message = string.Join("; ", checks.Select(c => c.ToString()).Append(variations is < 1 or > BatchJobs.MaxVariations ? $"variations: must be between 1 and {BatchJobs.MaxVariations}, got {variations}." : null).OfType<string>());
            return (Failed(BatchErrorCodes.InvalidRow, $"row {row.Row}: {message}"), null, []);
        }

        var (input, code, error) = await resolver.ResolveAsync(row.Input, cancellationToken).ConfigureAwait(false);
        if (input is null)
        {
            return (Failed(code!, error!), null, []);
        }

        var seed = BatchJobs.BaseSeed(p.Seed ?? settings.Seed, input.Sha256);
        var jobs = BatchJobs.Plan(input.Sha256, p.Seed ?? settings.Seed, variations, steps, temperature, guidance, settings.BundleId);
        var planned = new PlannedRow(row.Row, row.Input, variations, input.Sha256, seed, steps, temperature, guidance, null,
            [.. jobs.Select(j => new PlannedJobRef(j.Id.Value, j.FirstVariation, j.Parameters.Variations ?? 1))]);
        return (planned, input, jobs);
    }

    /// <summary>dataset.jsonl from the plan, written whole and then renamed into place.</summary>
    private async Task<BatchSummary> WriteDatasetAsync(string planPath, JobResults results, IReadOnlyDictionary<string, RowError> unsettled, int generated, Stopwatch clock, CancellationToken cancellationToken)
    {
        progress.Note($"writing {DatasetFileName}");
        var datasetPath = Path.Combine(settings.OutFolder, DatasetFileName);
        int rows = 0, outputs = 0, succeeded = 0;
        await using (var dataset = new FileStream(datasetPath + ".tmp", FileMode.Create, FileAccess.Write))
        {
            using var plan = new StreamReader(planPath);
            while (await plan.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                var planned = JsonSerializer.Deserialize(line, BatchJsonContext.Default.PlannedRow)!;
                rows++;
                foreach (var output in Outputs(planned, results, unsettled))
                {
                    outputs++;
                    succeeded += output.Status == "succeeded" ? 1 : 0;
                    await JsonSerializer.SerializeAsync(dataset, output, BatchJsonContext.Readable.DatasetRow, cancellationToken).ConfigureAwait(false);
                    dataset.WriteByte((byte)'\n');
                }
            }
        }

        File.Move(datasetPath + ".tmp", datasetPath, overwrite: true);
        return new BatchSummary(rows, outputs, succeeded, outputs - succeeded, generated, succeeded - Math.Min(succeeded, generated), clock.Elapsed.TotalSeconds);
    }

    private static IEnumerable<DatasetRow> Outputs(PlannedRow planned, JobResults results, IReadOnlyDictionary<string, RowError> unsettled)
    {
        var template = new DatasetRow
        {
            Row = planned.Row, Input = planned.Input, Variation = 0, Status = "failed", Steps = planned.Steps, Temperature = planned.Temperature,
            Guidance = planned.Guidance, InputSha256 = planned.InputSha256, Error = planned.Error,
        };
        if (planned.Error is not null)
        {
            for (var v = 0; v < planned.Variations; v++)
            {
                yield return template with { Variation = v };
            }

            yield break;
        }

        foreach (var job in planned.Jobs)
        {
            var result = results.Find(job.JobId);
            for (var j = 0; j < job.Count; j++)
            {
                var v = job.FirstVariation + j;
                var row = template with { Variation = v, JobId = job.JobId, Seed = planned.Seed + v };
                if (result is null)
                {
                    yield return row with
                    {
                        Error = unsettled.GetValueOrDefault(job.JobId) ?? new RowError(BatchErrorCodes.TimedOut, $"job {job.JobId} did not finish in this run; run the batch again."),
                    };
                    continue;
                }

                row = row with
                {
                    Status = result.Status, Steps = result.Steps, Temperature = result.Temperature, Guidance = result.Guidance,
                    BundleId = result.BundleId, BundleSha256 = result.BundleSha256, Error = result.Error,
                };
                yield return j < result.Outputs.Count
                    ? row with { Output = result.Outputs[j].Output, WavSha256 = result.Outputs[j].Sha256, DurationSeconds = result.Outputs[j].DurationSeconds }
                    : row;
            }
        }
    }
}
