using System.Globalization;
using EchoPipeline.Jobs;
using EchoPipeline.Jobs.Storage;
using EchoPipeline.Media;

namespace EchoPipeline.Cli.LocalPipeline;

/// <summary>
/// One batch through a running pipeline: submit every input, wait for every job, collect the outputs into
/// <paramref name="outFolder"/>. A failing input becomes a failed entry; it never stops the others.
/// </summary>
internal sealed class PipelineRun(EchoStorage storage, EventDelivery delivery, string outFolder, TimeProvider time, Action? checkWorkers = null)
{
    public async Task<IReadOnlyList<SummaryEntry>> RunAsync(IReadOnlyList<string> inputs, TimeSpan timeout, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var submitter = new InputSubmitter(storage, delivery);
        var entries = new SummaryEntry[inputs.Count];
        var jobOf = new Dictionary<int, string>();
        for (var i = 0; i < inputs.Count; i++)
        {
            progress?.Report($"uploading {i + 1}/{inputs.Count}: {Path.GetFileName(inputs[i])}");
            var (jobId, failure) = await submitter.SubmitAsync(inputs[i], cancellationToken).ConfigureAwait(false);
            entries[i] = failure ?? new SummaryEntry(Path.GetFileName(inputs[i]), SummaryEntry.Failed) { BlobName = Path.GetFileName(inputs[i]), JobId = jobId };
            if (jobId is not null)
            {
                jobOf[i] = jobId;
            }
        }

        var ids = jobOf.Values.Distinct(StringComparer.Ordinal).ToList();
        var waiting = new Progress<int>(n => progress?.Report($"jobs finished: {n}/{ids.Count}"));
        var records = await new JobWaiter(new JobStore(storage), time, checkWorkers).WaitAsync(ids, timeout, waiting, cancellationToken).ConfigureAwait(false);
        var collector = new OutputCollector(storage, outFolder);
        foreach (var (i, jobId) in jobOf)
        {
            entries[i] = records.TryGetValue(jobId, out var record)
                ? await FinishAsync(collector, entries[i], i + 1, record, cancellationToken).ConfigureAwait(false)
                : entries[i] with { Status = SummaryEntry.TimedOut, ErrorCode = "timed_out", ErrorMessage = $"job {jobId} had not finished after {timeout.TotalSeconds:0} s; raise --timeout or add --workers." };
        }

        return entries;
    }

    private static async Task<SummaryEntry> FinishAsync(OutputCollector collector, SummaryEntry entry, int index, JobRecord record, CancellationToken cancellationToken)
    {
        var p = record.Parameters;
        var timings = new Dictionary<string, double>(record.Timings);
        if (record.CompletedAt is { } completed)
        {
            timings["queued_to_done"] = (completed - record.CreatedAt).TotalMilliseconds;
        }

        entry = entry with
        {
            Status = record.Status == JobStatus.Succeeded ? SummaryEntry.Succeeded : SummaryEntry.Failed,
            ErrorCode = record.Error?.Code,
            ErrorMessage = record.Error?.Message,
            Media = OutputCollector.Describe(record.Media) is { Length: > 0 } media ? media : null,
            Timings = timings,
            Parameters = new Dictionary<string, string>
            {
                // What the worker used: the job's values, the bundle's defaults where the job left them unset.
                ["steps"] = Invariant(record.Sampling?.Steps ?? p.Steps), ["temperature"] = Invariant(record.Sampling?.Temperature ?? p.Temperature),
                ["guidance"] = Invariant(record.Sampling?.Guidance ?? p.Guidance),
                ["seed"] = Invariant(p.Seed), ["variations"] = Invariant(p.Variations), ["bundle"] = record.Model?.BundleId ?? "",
            },
        };
        return await collector.CollectAsync(entry, index, record, cancellationToken).ConfigureAwait(false);
    }

    private static string Invariant<T>(T? value)
        where T : struct, IFormattable => value?.ToString(null, CultureInfo.InvariantCulture) ?? "";
}
