using Azure;
using EchoPipeline.Jobs;
using EchoPipeline.Jobs.Storage;

namespace EchoPipeline.Worker.Processing;

/// <summary>
/// Applies a change to a job record with If-Match; on 412 (the ingest stamping <c>enqueuedAt</c>, another worker)
/// re-reads the record and applies the change to the fresh copy.
/// </summary>
internal sealed class JobRecordWriter(JobStore store, TimeProvider time)
{
    private const int MaxConflicts = 8;

    public async Task<StoredJob> UpdateAsync(StoredJob current, Func<JobRecord, JobRecord> change, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var updated = change(current.Record) with { UpdatedAt = time.GetUtcNow() };
            try
            {
                return await store.UpdateAsync(updated, current.ETag, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException ex) when (ex.Status == 412 && attempt < MaxConflicts)
            {
                current = await store.GetAsync(current.Record.Id, cancellationToken).ConfigureAwait(false)
                    ?? throw new InvalidOperationException($"Job record {current.Record.Id} disappeared while being updated.", ex);
            }
        }
    }
}
