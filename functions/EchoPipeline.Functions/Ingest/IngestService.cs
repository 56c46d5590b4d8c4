using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using EchoPipeline.Functions.Hosting;
using EchoPipeline.Jobs;
using EchoPipeline.Jobs.Storage;
using EchoPipeline.Media;

namespace EchoPipeline.Functions.Ingest;

/// <summary>
/// Turns an input into a job: identify it, find an existing job with the same id or stage the input, probe it,
/// extract one frame per window, store the frames, write the job record and enqueue the claim-check message.
/// Bad input ends as a failed job record with a stable code; only infrastructure failures throw.
/// </summary>
public sealed class IngestService(
    EchoStorage storage,
    StorageProvisioner provisioner,
    JobStore jobs,
    JobQueueClient queue,
    FrameIngest frames,
    SourceDownloader downloader,
    MediaOptions mediaOptions,
    IngestClock clock,
    ILogger<IngestService> logger)
{
    /// <summary>Metadata marking blobs that SubmitJob staged, so their BlobCreated events start no second job.</summary>
    public const string IngestMetadataKey = "echoingest";
    public const string SubmittedMarker = "submitjob";

    private readonly BlobContainerClient _videos = storage.Container(StorageNames.VideosContainer);

    /// <summary>Whether <c>videos</c> holds <paramref name="blobName"/>.</summary>
    public async Task<bool> BlobExistsAsync(string blobName, CancellationToken cancellationToken)
    {
        await provisioner.EnsureAsync(cancellationToken).ConfigureAwait(false);
        return await _videos.GetBlobClient(blobName).ExistsAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Ingests a blob of <c>videos</c>. <paramref name="fromEvent"/> skips blobs SubmitJob staged itself.</summary>
    public async Task<IngestOutcome> IngestBlobAsync(string blobName, JobParameters parameters, string? eventETag, bool fromEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        await provisioner.EnsureAsync(cancellationToken).ConfigureAwait(false);
        parameters = parameters.Normalize();
        var source = new JobSource { Kind = "blob", Container = StorageNames.VideosContainer, BlobName = BlobNameRules.ForDisplay(blobName), ETag = eventETag };
        if (BlobNameRules.Check(blobName) is { } problem)
        {
            return await FailAsync(SourceIdentity.ForBlob(source.Container, blobName, eventETag ?? "none"), source, parameters, JobErrorCodes.InvalidBlobName, problem, [], cancellationToken).ConfigureAwait(false);
        }

        BlobProperties properties;
        try
        {
            properties = (await _videos.GetBlobClient(blobName).GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return await FailAsync(SourceIdentity.ForBlob(source.Container, blobName, eventETag ?? "none"), source, parameters, JobErrorCodes.SourceNotFound,
                $"There is no blob '{source.BlobName}' in container 'videos' (it may have been deleted before ingest ran). Upload it again.", [], cancellationToken).ConfigureAwait(false);
        }

        if (fromEvent && properties.Metadata.TryGetValue(IngestMetadataKey, out var marker) && marker == SubmittedMarker)
        {
            return IngestOutcome.Skipped;
        }

        var etag = properties.ETag.ToString();
        source = source with { ETag = etag, ContentType = properties.ContentType, ContentLength = properties.ContentLength };
        var id = JobId.Derive(SourceIdentity.ForBlob(source.Container, blobName, etag), parameters);
        if (await FindExistingAsync(id, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            return existing;
        }

        var timings = new Dictionary<string, double>();
        if (SizeProblem(properties.ContentLength, source.BlobName) is { } sizeError)
        {
            return await FailAsync(id, source, parameters, sizeError.ErrorCode, sizeError.Message, timings, cancellationToken).ConfigureAwait(false);
        }

        using var work = WorkDirectory.Create(frames.TempDirectory);
        var started = clock.Timestamp();
        string sha256;
        try
        {
            sha256 = await DownloadBlobAsync(blobName, properties.ETag, work.SourceFile, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            return await FailAsync(id, source, parameters, JobErrorCodes.SourceNotFound,
                $"Blob '{source.BlobName}' was deleted or overwritten while it was read; the newer upload gets its own job.", timings, cancellationToken).ConfigureAwait(false);
        }
        catch (MediaException ex)
        {
            return await FailAsync(id, source, parameters, ex.ErrorCode, ex.Message, timings, cancellationToken).ConfigureAwait(false);
        }

        timings["download"] = clock.ElapsedMs(started);
        return await ProcessAsync(id, source with { ContentSha256 = sha256 }, parameters, work.SourceFile, timings, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Downloads a URL source (<see cref="SourceRejectedException"/> when refused), stages it in <c>videos</c> and ingests it.</summary>
    public async Task<IngestOutcome> IngestUrlAsync(Uri url, JobParameters parameters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        await provisioner.EnsureAsync(cancellationToken).ConfigureAwait(false);
        parameters = parameters.Normalize();
        using var work = WorkDirectory.Create(frames.TempDirectory);
        var started = clock.Timestamp();
        var downloaded = await downloader.DownloadAsync(url, work.SourceFile, cancellationToken).ConfigureAwait(false);
        var timings = new Dictionary<string, double> { ["download"] = clock.ElapsedMs(started) };

        var id = JobId.Derive(SourceIdentity.ForContent(downloaded.Sha256), parameters);
        if (await FindExistingAsync(id, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            return existing;
        }

        var blobName = $"submitted/{downloaded.Sha256}";
        var etag = await StageAsync(blobName, work.SourceFile, downloaded.ContentType, cancellationToken).ConfigureAwait(false);
        var source = new JobSource
        {
            Kind = "url", Container = StorageNames.VideosContainer, BlobName = blobName, ETag = etag.ToString(), Url = url,
            ContentSha256 = downloaded.Sha256, ContentType = downloaded.ContentType, ContentLength = downloaded.Length,
        };
        return await ProcessAsync(id, source, parameters, work.SourceFile, timings, cancellationToken).ConfigureAwait(false);
    }

    private async Task<IngestOutcome> ProcessAsync(JobId id, JobSource source, JobParameters parameters, string path, Dictionary<string, double> timings, CancellationToken cancellationToken)
    {
        FrameIngestResult extracted;
        try
        {
            extracted = await frames.ExtractAndStoreAsync(id, path, timings, cancellationToken).ConfigureAwait(false);
        }
        catch (MediaException ex)
        {
            var message = ex.Message.Replace(path, $"{source.Container}/{source.BlobName}", StringComparison.Ordinal);
            return await FailAsync(id, source, parameters, ex.ErrorCode, message, timings, cancellationToken).ConfigureAwait(false);
        }

        var now = clock.Now();
        var record = new JobRecord
        {
            Id = id, Status = JobStatus.Queued, CreatedAt = now, UpdatedAt = now, Source = source,
            Parameters = parameters with { Seed = parameters.ResolveSeed(id) },
            Media = extracted.Media, Segments = extracted.Segments, Timings = timings,
        };
        var (stored, created) = await jobs.CreateAsync(record, cancellationToken).ConfigureAwait(false);
        if (!created)
        {
            return new IngestOutcome(stored.Record, IngestDisposition.Existing, false);
        }

        var enqueued = await EnqueueAsync(stored, cancellationToken).ConfigureAwait(false);
        FunctionsLog.JobIngested(logger, id.Value, source.Container, source.BlobName, enqueued.Status.ToString(), nameof(IngestDisposition.Created));
        return new IngestOutcome(enqueued, IngestDisposition.Created, true);
    }

    /// <summary>Sends the message, then stamps <see cref="JobRecord.EnqueuedAt"/> so a duplicate event knows not to send another.</summary>
    private async Task<JobRecord> EnqueueAsync(StoredJob stored, CancellationToken cancellationToken)
    {
        await queue.EnqueueAsync(stored.Record.Id, cancellationToken).ConfigureAwait(false);
        var now = clock.Now();
        var stamped = stored.Record with { EnqueuedAt = now, UpdatedAt = now };
        try
        {
            return (await jobs.UpdateAsync(stamped, stored.ETag, cancellationToken).ConfigureAwait(false)).Record;
        }
        catch (RequestFailedException ex) when (ex.Status == 412)
        {
            // The worker already picked the job up and rewrote the record; it has the message, nothing to stamp.
            return stored.Record;
        }
    }

    private async Task<IngestOutcome?> FindExistingAsync(JobId id, CancellationToken cancellationToken)
    {
        if (await jobs.GetAsync(id, cancellationToken).ConfigureAwait(false) is not { } stored)
        {
            return null;
        }

        if (stored.Record is { Status: JobStatus.Queued, EnqueuedAt: null })
        {
            // A previous attempt wrote the record and stopped before the message went out.
            FunctionsLog.JobReEnqueued(logger, id.Value);
            return new IngestOutcome(await EnqueueAsync(stored, cancellationToken).ConfigureAwait(false), IngestDisposition.Existing, true);
        }

        return new IngestOutcome(stored.Record, IngestDisposition.Existing, false);
    }

    private Task<IngestOutcome> FailAsync(SourceIdentity identity, JobSource source, JobParameters parameters, string code, string message, Dictionary<string, double> timings, CancellationToken cancellationToken) =>
        FailAsync(JobId.Derive(identity, parameters), source, parameters, code, message, timings, cancellationToken);

    private async Task<IngestOutcome> FailAsync(JobId id, JobSource source, JobParameters parameters, string code, string message, Dictionary<string, double> timings, CancellationToken cancellationToken)
    {
        var now = clock.Now();
        var record = new JobRecord
        {
            Id = id, Status = JobStatus.Failed, CreatedAt = now, UpdatedAt = now, CompletedAt = now, Source = source,
            Parameters = parameters with { Seed = parameters.ResolveSeed(id) }, Error = new JobError(code, message), Timings = timings,
        };
        var (stored, created) = await jobs.CreateAsync(record, cancellationToken).ConfigureAwait(false);
        FunctionsLog.JobRejected(logger, id.Value, code, message);
        return new IngestOutcome(stored.Record, created ? IngestDisposition.Created : IngestDisposition.Existing, false);
    }

    private MediaException? SizeProblem(long length, string name)
    {
        if (length == 0)
        {
            return new MediaException(MediaErrorCode.EmptyFile, $"'videos/{name}' is empty (0 bytes); upload the file again.");
        }

        return length > mediaOptions.MaxBytes
            ? new MediaException(MediaErrorCode.TooLarge, $"'videos/{name}' is {length} bytes; the limit is {mediaOptions.MaxBytes} bytes (Media:MaxBytes).")
            : null;
    }

    private async Task<string> DownloadBlobAsync(string blobName, ETag etag, string path, CancellationToken cancellationToken)
    {
        using var download = (await _videos.GetBlobClient(blobName).DownloadStreamingAsync(new BlobDownloadOptions { Conditions = new BlobRequestConditions { IfMatch = etag } }, cancellationToken).ConfigureAwait(false)).Value;
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true);
        var (sha256, _) = await Hashing.CopyAsync(download.Content, file, mediaOptions.MaxBytes,
            total => new MediaException(MediaErrorCode.TooLarge, $"'videos/{blobName}' grew past {mediaOptions.MaxBytes} bytes while it was read (Media:MaxBytes)."), cancellationToken).ConfigureAwait(false);
        return sha256;
    }

    private async Task<ETag> StageAsync(string blobName, string path, string? contentType, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(path);
        var options = BlobUpload.As(
            contentType ?? "application/octet-stream",
            new BlobRequestConditions { IfNoneMatch = ETag.All },
            new Dictionary<string, string> { [IngestMetadataKey] = SubmittedMarker });
        try
        {
            return (await _videos.GetBlobClient(blobName).UploadAsync(file, options, cancellationToken).ConfigureAwait(false)).Value.ETag;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            // Same bytes staged before (the name is their hash).
            return (await _videos.GetBlobClient(blobName).GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value.ETag;
        }
    }
}
