using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using EchoPipeline.Jobs;
using EchoPipeline.Jobs.Storage;
using EchoPipeline.Media;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EchoPipeline.Ingest;

/// <summary>
/// Turns an input into a job: identify it, claim the job id by writing its record first, then, under one total
/// deadline, stage the input, probe it, extract one frame per window, store the frames, complete the record and enqueue
/// the claim-check message. A duplicate that finds the record does nothing (or finishes what a crashed attempt left),
/// so no input is processed twice. Bad input ends as a failed job record with a stable code; only infrastructure
/// failures throw, after releasing the claim so that the caller's retry starts over.
/// </summary>
public sealed class IngestService(
    EchoStorage storage,
    StorageProvisioner provisioner,
    JobStore jobs,
    JobQueueClient queue,
    FrameIngest frames,
    SourceDownloader downloader,
    MediaOptions mediaOptions,
    IOptions<IngestOptions> ingestOptions,
    IngestClock clock,
    TimeProvider time,
    ILogger<IngestService> logger)
{
    /// <summary>Metadata marking blobs that SubmitJob staged, so their BlobCreated events start no second job.</summary>
    public const string IngestMetadataKey = "echoingest";
    public const string SubmittedMarker = "submitjob";

    private readonly BlobContainerClient _videos = storage.Container(StorageNames.VideosContainer);
    private readonly TimeSpan _deadline = ingestOptions.Value.Deadline;
    private readonly string _bundleId = ingestOptions.Value.BundleId;

    /// <summary>Whether <c>videos</c> holds <paramref name="blobName"/>.</summary>
    public async Task<bool> BlobExistsAsync(string blobName, CancellationToken cancellationToken)
    {
        await provisioner.EnsureAsync(cancellationToken).ConfigureAwait(false);
        return await _videos.GetBlobClient(blobName).ExistsAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Ingests an upload with the upload defaults (<see cref="JobParameters.ForBlobCreated"/>): what a BlobCreated event
    /// on <c>videos</c> starts, from the blob trigger or the local pipeline. Blobs of other containers are ignored,
    /// blobs SubmitJob staged are skipped.
    /// </summary>
    public async Task<IngestOutcome> IngestUploadAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blob);
        if (blob.BlobContainerName != StorageNames.VideosContainer)
        {
            IngestLog.BlobIgnored(logger, blob.BlobContainerName, blob.Name, StorageNames.VideosContainer);
            return IngestOutcome.Ignored;
        }

        return await IngestAsync(blob, JobParameters.ForBlobCreated, fromEvent: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Ingests a blob of <c>videos</c> with explicit parameters (SubmitJob).</summary>
    public Task<IngestOutcome> IngestBlobAsync(string blobName, JobParameters parameters, CancellationToken cancellationToken) =>
        IngestAsync(_videos.GetBlobClient(blobName), parameters, fromEvent: false, cancellationToken);

    /// <summary>Downloads a URL source (<see cref="SourceRejectedException"/> when refused), stages it in <c>videos</c> and ingests it.</summary>
    public async Task<IngestOutcome> IngestUrlAsync(Uri url, JobParameters parameters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        await provisioner.EnsureAsync(cancellationToken).ConfigureAwait(false);
        parameters = parameters.Normalize();
        using var deadline = StartDeadline(cancellationToken);
        using var work = WorkDirectory.Create(frames.TempDirectory);
        var started = clock.Timestamp();
        var downloaded = await downloader.DownloadAsync(url, work.SourceFile, deadline.Token).ConfigureAwait(false);
        var timings = new Dictionary<string, double> { ["download"] = clock.ElapsedMs(started) };

        var id = JobId.Derive(SourceIdentity.ForContent(downloaded.Sha256), parameters, _bundleId);
        var blobName = StagedBlobName(downloaded.Sha256);
        var source = new JobSource
        {
            Kind = "url", Container = StorageNames.VideosContainer, BlobName = blobName, Url = url,
            ContentSha256 = downloaded.Sha256, ContentType = downloaded.ContentType, ContentLength = downloaded.Length,
        };
        var (claim, outcome) = await ClaimAsync(id, source, parameters, completed: null, cancellationToken).ConfigureAwait(false);
        if (claim is null)
        {
            return outcome!;
        }

        return await UnderClaimAsync(claim, deadline, async (current, ct) =>
        {
            var etag = await StageAsync(blobName, work.SourceFile, downloaded.ContentType, ct).ConfigureAwait(false);
            var staged = current with { Record = current.Record with { Source = current.Record.Source with { ETag = etag.ToString() } } };
            return await ProcessAsync(staged, downloaded.Sha256, work.SourceFile, timings, ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Where bytes staged under their hash live in <c>videos</c> (downloads and batch inputs), marked so that their BlobCreated events start no job.</summary>
    public static string StagedBlobName(string sha256) => $"submitted/{sha256}";

    /// <summary>
    /// Ingests bytes a client staged in <c>videos</c> under <see cref="StagedBlobName"/> (If-None-Match, with the
    /// <see cref="IngestMetadataKey"/> marker). The job's identity is the content hash, as for URL sources, so the same
    /// bytes with the same parameters are the same job in any account and on any rerun (`echopipe batch` resumes on it).
    /// Frames an earlier job stored for the same content are reused without reading the blob (<see cref="FrameIngest"/>);
    /// otherwise the blob is read, and bytes that no longer hash to <paramref name="sha256"/> fail the job with
    /// <see cref="JobErrorCodes.SourceChanged"/>.
    /// </summary>
    /// <exception cref="RequestFailedException">404: nothing is staged under that hash.</exception>
    public async Task<IngestOutcome> IngestStagedAsync(string sha256, JobParameters parameters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var identity = SourceIdentity.ForContent(sha256);
        await provisioner.EnsureAsync(cancellationToken).ConfigureAwait(false);
        parameters = parameters.Normalize();
        var blobName = StagedBlobName(sha256);
        var blob = _videos.GetBlobClient(blobName);
        var properties = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
        var id = JobId.Derive(identity, parameters, _bundleId);
        var source = new JobSource
        {
            Kind = "blob", Container = StorageNames.VideosContainer, BlobName = blobName, ETag = properties.ETag.ToString(),
            ContentSha256 = sha256, ContentType = properties.ContentType, ContentLength = properties.ContentLength,
        };
        // Frames stored for these bytes make the claim the completed record: one write, nothing slow under the claim. The
        // bytes behind stored frames were hashed when the frames were made, so the name's hash is all it takes.
        var timings = new Dictionary<string, double>();
        var stored = SizeProblem(properties.ContentLength, blobName) is null ? await frames.FindAsync(sha256, timings, cancellationToken).ConfigureAwait(false) : null;
        using var deadline = StartDeadline(cancellationToken);
        var (claim, outcome) = await ClaimAsync(id, source, parameters, stored is null ? null : (stored, timings), cancellationToken).ConfigureAwait(false);
        if (claim is null)
        {
            return outcome!;
        }

        if (claim.Record.Segments.Count > 0)
        {
            // Should the message not go out, the record is complete and not enqueued: a resubmission sends it.
            return await EnqueueCreatedAsync(claim, cancellationToken).ConfigureAwait(false);
        }

        return await UnderClaimAsync(claim, deadline, (current, ct) => ReadClaimedAsync(current, blob, properties, sha256, ct), cancellationToken).ConfigureAwait(false);
    }

    private async Task<IngestOutcome> IngestAsync(BlobClient blob, JobParameters parameters, bool fromEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        await provisioner.EnsureAsync(cancellationToken).ConfigureAwait(false);
        parameters = parameters.Normalize();
        var blobName = blob.Name;
        var source = new JobSource { Kind = "blob", Container = StorageNames.VideosContainer, BlobName = BlobNameRules.ForDisplay(blobName) };
        if (BlobNameRules.Check(blobName) is { } problem)
        {
            // Storage is not asked about a refused name (another tool could resolve it to a different blob): its
            // identity has no ETag, so every refused upload under that name is the one failed job.
            return await FailNewAsync(SourceIdentity.ForBlob(source.Container, blobName, "none"), source, parameters, JobErrorCodes.InvalidBlobName, problem, cancellationToken).ConfigureAwait(false);
        }

        BlobProperties properties;
        try
        {
            properties = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return await FailNewAsync(SourceIdentity.ForBlob(source.Container, blobName, "none"), source, parameters, JobErrorCodes.SourceNotFound,
                $"There is no blob '{source.BlobName}' in container 'videos' (it may have been deleted before ingest ran). Upload it again.", cancellationToken).ConfigureAwait(false);
        }

        if (fromEvent && properties.Metadata.TryGetValue(IngestMetadataKey, out var marker) && marker == SubmittedMarker)
        {
            return IngestOutcome.Skipped;
        }

        var etag = properties.ETag.ToString();
        source = source with { ETag = etag, ContentType = properties.ContentType, ContentLength = properties.ContentLength };
        var id = JobId.Derive(SourceIdentity.ForBlob(source.Container, blobName, etag), parameters, _bundleId);
        // Started before the claim, so this attempt gives up before anyone may take the claim over.
        using var deadline = StartDeadline(cancellationToken);
        var (claim, outcome) = await ClaimAsync(id, source, parameters, completed: null, cancellationToken).ConfigureAwait(false);
        if (claim is null)
        {
            return outcome!;
        }

        return await UnderClaimAsync(claim, deadline, (current, ct) => ReadClaimedAsync(current, blob, properties, contentSha256: null, ct), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes the pending record (queued, no segments, no message yet) that makes this invocation the job's only
    /// ingest. Returns the claim, or, when there is nothing for this invocation to do, the outcome to report. With
    /// <paramref name="completed"/> frames the record is written complete instead (segments, no message yet), the state
    /// in which any later submission sends the message.
    /// </summary>
    private async Task<(StoredJob? Claim, IngestOutcome? Outcome)> ClaimAsync(JobId id, JobSource source, JobParameters parameters,
        (FrameIngestResult Frames, IReadOnlyDictionary<string, double> Timings)? completed, CancellationToken cancellationToken)
    {
        var now = clock.Now();
        var pending = new JobRecord
        {
            Id = id, Status = JobStatus.Queued, CreatedAt = now, UpdatedAt = now, Source = source, BundleId = _bundleId,
            Parameters = parameters with { Seed = parameters.ResolveSeed(id) },
        };
        if (completed is { } complete)
        {
            pending = pending with { Media = complete.Frames.Media, Segments = complete.Frames.Segments, Timings = complete.Timings };
        }

        var (stored, created) = await jobs.CreateAsync(pending, cancellationToken).ConfigureAwait(false);
        if (created)
        {
            return (stored, null);
        }

        var record = stored.Record;
        if (record is { Status: JobStatus.Queued, EnqueuedAt: null, Segments.Count: > 0 })
        {
            // A previous attempt completed the record and stopped before the message went out.
            IngestLog.JobReEnqueued(logger, id.Value);
            return (null, new IngestOutcome(await EnqueueAsync(stored, cancellationToken).ConfigureAwait(false), IngestDisposition.Existing, true));
        }

        if (record is { Status: JobStatus.Failed, Error.Retryable: true })
        {
            // A timeout, a killed or missing ffmpeg, storage trouble: not the job's verdict. This submission starts it over.
            IngestLog.JobRetried(logger, id.Value, record.Error.Code);
            try
            {
                return (await jobs.UpdateAsync(pending with { CreatedAt = record.CreatedAt }, stored.ETag, cancellationToken).ConfigureAwait(false), null);
            }
            catch (RequestFailedException ex) when (ex.Status == 412)
            {
                return (null, new IngestOutcome(record, IngestDisposition.InProgress, false));
            }
        }

        if (!IsPending(record))
        {
            return (null, new IngestOutcome(record, IngestDisposition.Existing, false));
        }

        if (clock.Now() < record.UpdatedAt + _deadline)
        {
            IngestLog.JobInProgress(logger, id.Value, record.UpdatedAt);
            return (null, new IngestOutcome(record, IngestDisposition.InProgress, false));
        }

        // The claiming attempt's deadline has passed, so it has given up (or died): this one redoes the work.
        IngestLog.JobTakenOver(logger, id.Value, record.UpdatedAt);
        try
        {
            return (await jobs.UpdateAsync(record with { UpdatedAt = clock.Now() }, stored.ETag, cancellationToken).ConfigureAwait(false), null);
        }
        catch (RequestFailedException ex) when (ex.Status == 412)
        {
            return (null, new IngestOutcome(record, IngestDisposition.InProgress, false));
        }
    }

    /// <summary>
    /// Runs the slow part of a claimed ingest with the deadline's token. Past the deadline the job is failed
    /// (<see cref="JobErrorCodes.IngestTimedOut"/>); any other failure releases the claim and propagates.
    /// </summary>
    private async Task<IngestOutcome> UnderClaimAsync(StoredJob claim, Deadline deadline, Func<StoredJob, CancellationToken, Task<IngestOutcome>> work, CancellationToken cancellationToken)
    {
        try
        {
            return await work(claim, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.HasPassed && !cancellationToken.IsCancellationRequested)
        {
            return await FailAsync(claim, JobErrorCodes.IngestTimedOut,
                $"Ingest of '{claim.Record.Source.Container}/{claim.Record.Source.BlobName}' did not finish within {_deadline} (Ingest:Deadline); " +
                "split the video or raise the deadline (and the host's functionTimeout with it).", new Dictionary<string, double>(), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Without the record, the retry (host, Event Grid or caller) claims the job afresh instead of waiting out the deadline.
            IngestLog.ClaimReleased(logger, ex, claim.Record.Id.Value);
            using var release = new CancellationTokenSource(TimeSpan.FromSeconds(10), time);
            try
            {
                await jobs.DeleteAsync(claim.Record.Id, claim.ETag, release.Token).ConfigureAwait(false);
            }
            catch (Exception releaseFailure) when (releaseFailure is RequestFailedException or OperationCanceledException)
            {
                // Storage is unreachable: the record stays pending and is taken over once its deadline has passed.
            }

            throw;
        }
    }

    /// <summary>
    /// The claimed part of an ingest of a blob of <c>videos</c>: refuse it by size, else download it pinned to the ETag
    /// it was claimed with (deleted or overwritten meanwhile: <see cref="JobErrorCodes.SourceNotFound"/>) and process
    /// it. With <paramref name="contentSha256"/> (staged bytes, named by their hash; the caller has looked for their
    /// stored frames) bytes that hash otherwise fail the job as <see cref="JobErrorCodes.SourceChanged"/>.
    /// </summary>
    private async Task<IngestOutcome> ReadClaimedAsync(StoredJob claim, BlobClient blob, BlobProperties properties, string? contentSha256, CancellationToken cancellationToken)
    {
        var timings = new Dictionary<string, double>();
        var name = claim.Record.Source.BlobName;
        if (SizeProblem(properties.ContentLength, name) is { } sizeError)
        {
            return await FailAsync(claim, sizeError.ErrorCode, sizeError.Message, timings, cancellationToken).ConfigureAwait(false);
        }

        using var work = WorkDirectory.Create(frames.TempDirectory);
        var started = clock.Timestamp();
        string sha256;
        try
        {
            sha256 = await DownloadBlobAsync(blob, properties.ETag, work.SourceFile, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            return await FailAsync(claim, JobErrorCodes.SourceNotFound,
                $"Blob 'videos/{name}' was deleted or overwritten while it was read; upload or stage the input again (a new upload is a new job).", timings, cancellationToken).ConfigureAwait(false);
        }
        catch (MediaException ex)
        {
            return await FailAsync(claim, ex.ErrorCode, ex.Message, timings, cancellationToken).ConfigureAwait(false);
        }

        timings["download"] = clock.ElapsedMs(started);
        if (contentSha256 is null)
        {
            var hashed = claim with { Record = claim.Record with { Source = claim.Record.Source with { ContentSha256 = sha256 } } };
            return await ProcessAsync(hashed, sha256, work.SourceFile, timings, cancellationToken).ConfigureAwait(false);
        }

        return sha256 == contentSha256
            ? await ExtractAsync(claim, sha256, work.SourceFile, timings, cancellationToken).ConfigureAwait(false)
            : await FailAsync(claim, JobErrorCodes.SourceChanged,
                $"'videos/{name}' does not hash to its name (it holds {sha256}); stage the bytes again.", timings, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Completes the job with the frames stored for <paramref name="sha256"/>, extracting them from <paramref name="path"/> if there are none yet.</summary>
    private async Task<IngestOutcome> ProcessAsync(StoredJob claim, string sha256, string path, Dictionary<string, double> timings, CancellationToken cancellationToken) =>
        await frames.FindAsync(sha256, timings, cancellationToken).ConfigureAwait(false) is { } stored
            ? await CompleteAsync(claim, stored, timings, cancellationToken).ConfigureAwait(false)
            : await ExtractAsync(claim, sha256, path, timings, cancellationToken).ConfigureAwait(false);

    private async Task<IngestOutcome> ExtractAsync(StoredJob claim, string sha256, string path, Dictionary<string, double> timings, CancellationToken cancellationToken)
    {
        var source = claim.Record.Source;
        FrameIngestResult extracted;
        try
        {
            extracted = await frames.ExtractAndStoreAsync(sha256, path, timings, cancellationToken).ConfigureAwait(false);
        }
        catch (MediaException ex)
        {
            var message = ex.Message.Replace(path, $"{source.Container}/{source.BlobName}", StringComparison.Ordinal);
            return await FailAsync(claim, ex.ErrorCode, message, timings, cancellationToken).ConfigureAwait(false);
        }

        return await CompleteAsync(claim, extracted, timings, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes the media and segments into the claimed record and enqueues the job.</summary>
    private async Task<IngestOutcome> CompleteAsync(StoredJob claim, FrameIngestResult frameSet, Dictionary<string, double> timings, CancellationToken cancellationToken)
    {
        var complete = claim.Record with { UpdatedAt = clock.Now(), Media = frameSet.Media, Segments = frameSet.Segments, Timings = timings };
        return await TryUpdateAsync(complete, claim.ETag, cancellationToken).ConfigureAwait(false) is { } stored
            ? await EnqueueCreatedAsync(stored, cancellationToken).ConfigureAwait(false)
            : new IngestOutcome(complete, IngestDisposition.InProgress, false);
    }

    /// <summary>Enqueues a complete record this ingest created and reports it as created.</summary>
    private async Task<IngestOutcome> EnqueueCreatedAsync(StoredJob stored, CancellationToken cancellationToken)
    {
        var source = stored.Record.Source;
        var enqueued = await EnqueueAsync(stored, cancellationToken).ConfigureAwait(false);
        IngestLog.JobIngested(logger, stored.Record.Id.Value, source.Container, source.BlobName, enqueued.Status.ToString(), nameof(IngestDisposition.Created));
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

    /// <summary>A failed record for a source refused before any claim: written at once, nothing slow follows.</summary>
    private async Task<IngestOutcome> FailNewAsync(SourceIdentity identity, JobSource source, JobParameters parameters, string code, string message, CancellationToken cancellationToken)
    {
        var id = JobId.Derive(identity, parameters, _bundleId);
        var now = clock.Now();
        var record = new JobRecord
        {
            Id = id, Status = JobStatus.Failed, CreatedAt = now, UpdatedAt = now, CompletedAt = now, Source = source, BundleId = _bundleId,
            Parameters = parameters with { Seed = parameters.ResolveSeed(id) }, Error = new JobError(code, message),
        };
        var (stored, created) = await jobs.CreateAsync(record, cancellationToken).ConfigureAwait(false);
        IngestLog.JobRejected(logger, id.Value, code, message);
        return new IngestOutcome(stored.Record, created ? IngestDisposition.Created : IngestDisposition.Existing, false);
    }

    /// <summary>Turns the claimed record into a failed one (bad input, or the deadline passed).</summary>
    private async Task<IngestOutcome> FailAsync(StoredJob claim, string code, string message, Dictionary<string, double> timings, CancellationToken cancellationToken)
    {
        var now = clock.Now();
        var failed = claim.Record with { Status = JobStatus.Failed, UpdatedAt = now, CompletedAt = now, Error = new JobError(code, message), Timings = timings };
        IngestLog.JobRejected(logger, failed.Id.Value, code, message);
        return await TryUpdateAsync(failed, claim.ETag, cancellationToken).ConfigureAwait(false) is null
            ? new IngestOutcome(failed, IngestDisposition.InProgress, false)
            : new IngestOutcome(failed, IngestDisposition.Created, false);
    }

    /// <summary>Null when another invocation took the job over meanwhile (its record has moved on): that one reports it.</summary>
    private async Task<StoredJob?> TryUpdateAsync(JobRecord record, ETag claimETag, CancellationToken cancellationToken)
    {
        try
        {
            return await jobs.UpdateAsync(record, claimETag, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 412)
        {
            return null;
        }
    }

    private Deadline StartDeadline(CancellationToken cancellationToken) => new(_deadline, time, cancellationToken);

    private static bool IsPending(JobRecord record) => record is { Status: JobStatus.Queued, EnqueuedAt: null, Segments.Count: 0 };

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

    private async Task<string> DownloadBlobAsync(BlobClient blob, ETag etag, string path, CancellationToken cancellationToken)
    {
        using var download = (await blob.DownloadStreamingAsync(new BlobDownloadOptions { Conditions = new BlobRequestConditions { IfMatch = etag } }, cancellationToken).ConfigureAwait(false)).Value;
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true);
        var (sha256, _) = await CappedCopy.CopyAsync(download.Content, file, mediaOptions.MaxBytes,
            total => new MediaException(MediaErrorCode.TooLarge, $"'videos/{blob.Name}' grew past {mediaOptions.MaxBytes} bytes while it was read (Media:MaxBytes)."), cancellationToken).ConfigureAwait(false);
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

    /// <summary>The caller's token, cancelled also when the ingest deadline passes (timed by the injected <see cref="TimeProvider"/>).</summary>
    private sealed class Deadline : IDisposable
    {
        private readonly CancellationTokenSource _timer;
        private readonly CancellationTokenSource _linked;

        public Deadline(TimeSpan after, TimeProvider time, CancellationToken cancellationToken)
        {
            _timer = new CancellationTokenSource(after, time);
            _linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _timer.Token);
        }

        public CancellationToken Token => _linked.Token;

        public bool HasPassed => _timer.IsCancellationRequested;

        public void Dispose()
        {
            _linked.Dispose();
            _timer.Dispose();
        }
    }
}
