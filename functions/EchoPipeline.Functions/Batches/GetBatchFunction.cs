using EchoPipeline.Functions.Functions;
using EchoPipeline.Functions.Hosting;
using EchoPipeline.Jobs;
using EchoPipeline.Jobs.Batches;
using EchoPipeline.Jobs.Storage;
using Microsoft.Azure.Functions.Worker;

namespace EchoPipeline.Functions.Batches;

/// <summary>
/// GET /api/jobs:batch/{id}: the batch record (its callback URL without secrets, as <see cref="PublicView"/> does for
/// jobs), each job's status now and the counts per status; 400 for a malformed id, 404 for an unknown one.
/// </summary>
public sealed class GetBatchFunction(BatchStore batches, JobStore jobs)
{
    [Function(FunctionNames.GetBatch)]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "jobs:batch/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken)
    {
        if (!BatchId.TryParse(id, out var batchId))
        {
            return Error(400, "invalid_batch_id", $"'{(id?.Length > 80 ? id[..80] + "…" : id)}' is not a batch id; batch ids are {JobId.Length} lower-case hex digits.");
        }

        if (await batches.GetAsync(batchId, cancellationToken).ConfigureAwait(false) is not var (record, etag))
        {
            return Error(404, "batch_not_found", $"There is no batch {batchId}.");
        }

        var statuses = new JobStatus?[record.Jobs.Count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, record.Jobs.Count), parallel, async (i, ct) =>
            statuses[i] = (await jobs.GetAsync(record.Jobs[i], ct).ConfigureAwait(false))?.Record.Status).ConfigureAwait(false);
        var items = record.Jobs.Select((job, i) => new BatchItem(i, job.Value, statuses[i] ?? JobStatus.Queued)).ToList();
        var counts = Enum.GetValues<JobStatus>().ToDictionary(s => s.ToString().ToLowerInvariant(), s => items.Count(item => item.Status == s));
        var progress = new BatchProgress(record.Id.Value, record.Status, record.CreatedAt, record.CompletedAt, PublicView.Redact(record.CallbackUrl), record.Callback, counts, items);
        return new JsonReply<BatchProgress>(200, progress, FunctionsJsonContext.Default.BatchProgress) { Headers = { ["ETag"] = etag.ToString("H") } };
    }

    private static JsonReply<ErrorBody> Error(int status, string code, string message) =>
        new(status, new ErrorBody(code, message), FunctionsJsonContext.Default.ErrorBody);
}
