using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace EchoPipeline.Jobs.Storage;

/// <summary>
/// Job records as JSON blobs in <c>jobs</c>. Creation is conditional on the blob not existing
/// (If-None-Match: *), updates on the ETag last read (If-Match), so two writers never silently overwrite each other.
/// </summary>
public sealed class JobStore
{
    private const string JsonContentType = "application/json";
    private readonly BlobContainerClient _jobs;

    public JobStore(EchoStorage storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        _jobs = storage.Container(StorageNames.JobsContainer);
    }

    /// <summary>The record, or null when no job has this id.</summary>
    /// <exception cref="InvalidDataException">The blob holds no readable job record.</exception>
    public async Task<StoredJob?> GetAsync(JobId id, CancellationToken cancellationToken = default)
    {
        try
        {
            var response = await _jobs.GetBlobClient(StorageNames.JobRecordBlob(id)).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return new StoredJob(Parse(id, response.Value.Content), response.Value.Details.ETag);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    private static JobRecord Parse(JobId id, BinaryData content)
    {
        try
        {
            return JsonSerializer.Deserialize(content.ToMemory().Span, JobJsonContext.Default.JobRecord)
                ?? throw new InvalidDataException($"Job record {id} is empty (JSON null).");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"Job record {id} is not a valid job record: {ex.Message}", ex);
        }
    }

    /// <summary>Creates the record; when a record with its id already exists, returns that one and <c>Created = false</c>.</summary>
    public async Task<(StoredJob Job, bool Created)> CreateAsync(JobRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        try
        {
            var etag = await WriteAsync(record, new BlobRequestConditions { IfNoneMatch = ETag.All }, cancellationToken).ConfigureAwait(false);
            return (new StoredJob(record, etag), true);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            var existing = await GetAsync(record.Id, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Job record {record.Id} exists and vanished while being read.", ex);
            return (existing, false);
        }
    }

    /// <summary>Replaces the record if it still has <paramref name="etag"/>; a 412 <see cref="RequestFailedException"/> means someone else wrote first.</summary>
    public async Task<StoredJob> UpdateAsync(JobRecord record, ETag etag, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        var newETag = await WriteAsync(record, new BlobRequestConditions { IfMatch = etag }, cancellationToken).ConfigureAwait(false);
        return new StoredJob(record, newETag);
    }

    /// <summary>Deletes the record if it still has <paramref name="etag"/>; false when it is gone or someone else wrote it since.</summary>
    public async Task<bool> DeleteAsync(JobId id, ETag etag, CancellationToken cancellationToken = default)
    {
        try
        {
            var conditions = new BlobRequestConditions { IfMatch = etag };
            return (await _jobs.GetBlobClient(StorageNames.JobRecordBlob(id)).DeleteIfExistsAsync(conditions: conditions, cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (RequestFailedException ex) when (ex.Status == 412)
        {
            return false;
        }
    }

    private async Task<ETag> WriteAsync(JobRecord record, BlobRequestConditions conditions, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(record, JobJsonContext.Default.JobRecord);
        var options = new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = JsonContentType }, Conditions = conditions };
        var response = await _jobs.GetBlobClient(StorageNames.JobRecordBlob(record.Id)).UploadAsync(BinaryData.FromBytes(json), options, cancellationToken).ConfigureAwait(false);
        return response.Value.ETag;
    }
}
