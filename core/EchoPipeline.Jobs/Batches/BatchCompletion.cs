using Azure;
using EchoPipeline.Jobs.Storage;

namespace EchoPipeline.Jobs.Batches;

/// <summary>
/// Decides when a batch is complete. Whoever finishes one of its jobs (the worker, after the job's final record and
/// before deleting its queue message; the submit function, after creating the jobs) counts the job records: once all
/// have succeeded or failed, it marks the batch completed with If-Match, so that of several workers finishing the last
/// jobs at once exactly one makes the transition. Storage is strongly consistent, so at least one of them sees every
/// job final: each writes its own job's record before reading the others'. The completion webhook then goes through
/// the worker's outbox; a crash before that leaves the finishing job's message, whose redelivery runs this again.
/// </summary>
public sealed class BatchCompletion(BatchStore batches, JobStore jobs, TimeProvider time)
{
    private const int MaxConflicts = 8;

    /// <summary>
    /// The batch as it now stands: completed (with its callback pending when it has a callback URL) if every job has
    /// finished; null when there is no such batch.
    /// </summary>
    public async Task<BatchRecord?> CheckAsync(BatchId id, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (await batches.GetAsync(id, cancellationToken).ConfigureAwait(false) is not var (record, etag))
            {
                return null;
            }

            if (record.Status == BatchStatus.Completed)
            {
                return record;
            }

            int succeeded = 0, failed = 0;
            foreach (var job in record.Jobs)
            {
                // Stops at the first job still under way: most checks end early.
                var status = (await jobs.GetAsync(job, cancellationToken).ConfigureAwait(false))?.Record.Status;
                if (status is not (JobStatus.Succeeded or JobStatus.Failed))
                {
                    return record;
                }

                succeeded += status == JobStatus.Succeeded ? 1 : 0;
                failed += status == JobStatus.Failed ? 1 : 0;
            }

            var now = time.GetUtcNow();
            var completed = record with
            {
                Status = BatchStatus.Completed, CompletedAt = now, UpdatedAt = now, Counts = new BatchCounts(succeeded, failed),
                Callback = record.CallbackUrl is null ? null : new CallbackDelivery("pending", 0, now),
            };
            try
            {
                await batches.UpdateAsync(completed, etag, cancellationToken).ConfigureAwait(false);
                return completed;
            }
            catch (RequestFailedException ex) when (ex.Status == 412 && attempt < MaxConflicts)
            {
                // Another finisher wrote first; read what it wrote.
            }
        }
    }

    /// <summary>Checks every batch <paramref name="job"/> belongs to; returns those now completed.</summary>
    public async Task<IReadOnlyList<BatchRecord>> JobFinishedAsync(JobId job, CancellationToken cancellationToken)
    {
        var completed = new List<BatchRecord>();
        foreach (var id in await batches.BatchesOfAsync(job, cancellationToken).ConfigureAwait(false))
        {
            if (await CheckAsync(id, cancellationToken).ConfigureAwait(false) is { Status: BatchStatus.Completed } record)
            {
                completed.Add(record);
            }
        }

        return completed;
    }
}
