using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using EchoPipeline.Jobs.Storage;

namespace EchoPipeline.Jobs.Batches;

/// <summary>
/// Batch records beside the job records in <c>jobs</c> (<c>batches/{id}.json</c>; created If-None-Match, updated
/// If-Match like <see cref="JobStore"/>), and one empty marker per member job (<c>batch-members/{jobId}/{batchId}</c>)
/// so that whoever finishes a job finds its batches with one listing. A job may belong to several batches: its id
/// derives from its content and parameters, not from who asked for it.
/// </summary>
public sealed class BatchStore
{
    private readonly BlobContainerClient _container;

    public BatchStore(EchoStorage storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        _container = storage.Container(StorageNames.JobsContainer);
    }

    public static string RecordBlob(BatchId id) => $"batches/{id}.json";

    public static string MemberBlob(JobId job, BatchId batch) => $"batch-members/{job}/{batch}";

    public async Task<(BatchRecord Record, ETag ETag)?> GetAsync(BatchId id, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _container.GetBlobClient(RecordBlob(id)).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            var record = JsonSerializer.Deserialize(response.Value.Content.ToMemory().Span, BatchJsonContext.Default.BatchRecord)
                ?? throw new InvalidDataException($"Batch record {id} is empty (JSON null).");
            return (record, response.Value.Details.ETag);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Writes the record unless one with its id exists; returns the stored one and whether it is new.</summary>
    public async Task<(BatchRecord Record, ETag ETag, bool Created)> CreateAsync(BatchRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        try
        {
            var etag = await WriteAsync(record, new BlobRequestConditions { IfNoneMatch = ETag.All }, cancellationToken).ConfigureAwait(false);
            return (record, etag, true);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            var existing = await GetAsync(record.Id, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Batch record {record.Id} exists and vanished while being read.", ex);
            return (existing.Record, existing.ETag, false);
        }
    }

    /// <summary>Replaces the record if it still has <paramref name="etag"/>; 412 means someone else wrote first.</summary>
    public Task<ETag> UpdateAsync(BatchRecord record, ETag etag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        return WriteAsync(record, new BlobRequestConditions { IfMatch = etag }, cancellationToken);
    }

    /// <summary>Marks every job of the batch as its member (idempotent: a marker is an empty blob).</summary>
    public async Task AddMembersAsync(BatchRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        await Parallel.ForEachAsync(record.Jobs.Distinct(), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (job, ct) =>
            await _container.GetBlobClient(MemberBlob(job, record.Id)).UploadAsync(BinaryData.Empty, overwrite: true, ct).ConfigureAwait(false)).ConfigureAwait(false);
    }

    /// <summary>The batches <paramref name="job"/> belongs to.</summary>
    public async Task<IReadOnlyList<BatchId>> BatchesOfAsync(JobId job, CancellationToken cancellationToken)
    {
        var batches = new List<BatchId>();
        var prefix = $"batch-members/{job}/";
        await foreach (var blob in _container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }, cancellationToken).ConfigureAwait(false))
        {
            if (BatchId.TryParse(blob.Name[prefix.Length..], out var id))
            {
                batches.Add(id);
            }
        }

        return batches;
    }

    private async Task<ETag> WriteAsync(BatchRecord record, BlobRequestConditions conditions, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(record, BatchJsonContext.Default.BatchRecord);
        var options = BlobUpload.As("application/json", conditions);
        return (await _container.GetBlobClient(RecordBlob(record.Id)).UploadAsync(BinaryData.FromBytes(json), options, cancellationToken).ConfigureAwait(false)).Value.ETag;
    }
}
