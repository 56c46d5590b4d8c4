using EchoPipeline.Functions.Functions;
using EchoPipeline.Functions.Hosting;
using EchoPipeline.Ingest;
using EchoPipeline.Jobs;
using EchoPipeline.Jobs.Batches;
using EchoPipeline.Jobs.Storage;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;

namespace EchoPipeline.Functions.Batches;

/// <summary>
/// POST /api/jobs:batch: up to Batch:MaxItems POST jobs bodies at once, one callback for all. Every item is checked
/// before anything is created (400 naming <c>items[i].field</c>); then each is ingested as POST jobs would, the batch
/// record and its members are written, and the reply (202) names one status URL for the batch and each item's job. The
/// batch id derives from the job ids and the callback, so a retried POST finds its batch. When the batch completes the
/// worker POSTs the batch record to the callback (<see cref="BatchCompletion"/>).
/// </summary>
public sealed class SubmitBatchFunction(
    IngestService ingest,
    BatchStore batches,
    BatchCompletion completion,
    JobQueueClient queue,
    IOptions<BatchOptions> options,
    IOptions<IngestOptions> ingestOptions,
    TimeProvider time,
    ILogger<SubmitBatchFunction> logger)
{
    [Function(FunctionNames.SubmitBatch)]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "jobs:batch")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        var (submit, errors) = SubmitBatchRequest.Parse(body, options.Value.MaxItems, ingestOptions.Value.AllowPrivateNetworkSources);
        if (submit is null)
        {
            return BadRequest("invalid_request", "The request is invalid: " + string.Join("; ", errors), errors);
        }

        var missing = new List<ValidationError>();
        for (var i = 0; i < submit.Items.Count; i++)
        {
            if (submit.Items[i].Blob is { } blob && !await ingest.BlobExistsAsync(blob, cancellationToken).ConfigureAwait(false))
            {
                missing.Add(new ValidationError($"items[{i}].source.blob", $"there is no blob '{BlobNameRules.ForDisplay(blob)}' in the 'videos' container."));
            }
        }

        if (missing.Count > 0)
        {
            return BadRequest(JobErrorCodes.SourceNotFound, string.Join("; ", missing), missing);
        }

        var outcomes = new IngestOutcome?[submit.Items.Count];
        var refused = new List<ValidationError>();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Value.IngestConcurrency, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, submit.Items.Count), parallel, async (i, ct) =>
        {
            var item = submit.Items[i];
            try
            {
                outcomes[i] = item.Blob is { } blob
                    ? await ingest.IngestBlobAsync(blob, item.Parameters, ct).ConfigureAwait(false)
                    : await ingest.IngestUrlAsync(item.Url!, item.Parameters, ct).ConfigureAwait(false);
            }
            catch (SourceRejectedException ex)
            {
                FunctionsLog.SourceRefused(logger, item.Url!.ToString(), ex.Message);
                lock (refused)
                {
                    refused.Add(new ValidationError($"items[{i}].source.url", ex.Message));
                }
            }
        }).ConfigureAwait(false);
        if (refused.Count > 0)
        {
            return BadRequest("source_refused", string.Join("; ", refused), [.. refused.OrderBy(e => e.Field, StringComparer.Ordinal)]);
        }

        var jobs = outcomes.Select(o => o!.Job!).ToList();
        var id = BatchId.Derive(jobs.Select(j => j.Id), submit.CallbackUrl);
        var now = time.GetUtcNow();
        var (record, _, created) = await batches.CreateAsync(
            new BatchRecord { Id = id, Status = BatchStatus.Running, CreatedAt = now, UpdatedAt = now, Jobs = [.. jobs.Select(j => j.Id)], CallbackUrl = submit.CallbackUrl },
            cancellationToken).ConfigureAwait(false);
        await batches.AddMembersAsync(record, cancellationToken).ConfigureAwait(false);

        // Jobs that finished before their membership was written (duplicates of finished jobs, fast failures) are
        // counted here; a batch complete already gets its webhook from the worker, nudged by a message for its first
        // job (finished, so the worker only acknowledges it, and checks the job's batches as it does).
        var current = await completion.CheckAsync(id, cancellationToken).ConfigureAwait(false) ?? record;
        if (current is { Status: BatchStatus.Completed, Callback.Status: "pending" })
        {
            await queue.EnqueueAsync(current.Jobs[0], cancellationToken).ConfigureAwait(false);
        }

        FunctionsLog.BatchAccepted(logger, id.Value, jobs.Count, created);
        var statusUrl = StatusUrl(request, id);
        var items = jobs.Select((job, i) => new BatchItem(i, job.Id.Value, job.Status, outcomes[i]!.Disposition is IngestDisposition.Existing or IngestDisposition.InProgress, job.Error)).ToList();
        return new JsonReply<BatchAccepted>(202, new BatchAccepted(id.Value, current.Status, statusUrl, !created, items), FunctionsJsonContext.Default.BatchAccepted)
        {
            Headers = { ["Location"] = statusUrl.AbsoluteUri },
        };
    }

    /// <summary>GetBatch's route is this one's plus /{id}: the request URL without its query, plus the id.</summary>
    internal static Uri StatusUrl(HttpRequest request, BatchId id) =>
        new($"{request.Scheme}://{request.Host}{request.PathBase}{request.Path.Value?.TrimEnd('/')}/{id.Value}");

    private static JsonReply<ErrorBody> BadRequest(string code, string message, IReadOnlyList<ValidationError> errors) =>
        new(400, new ErrorBody(code, message, errors), FunctionsJsonContext.Default.ErrorBody);
}
