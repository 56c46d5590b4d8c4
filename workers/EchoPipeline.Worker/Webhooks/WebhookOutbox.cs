using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using EchoPipeline.Jobs;
using EchoPipeline.Jobs.Batches;
using EchoPipeline.Jobs.Storage;

namespace EchoPipeline.Worker.Webhooks;

/// <summary>
/// The webhook outbox (<see cref="StorageNames.WebhooksContainer"/>): one blob per delivery not yet settled, named by
/// its webhook-id, holding the exact body to POST, with its schedule in the metadata. A replica claims an entry with a
/// blob lease, so no two deliver it at once, and a replica that dies holds its entries only until their leases lapse.
/// </summary>
internal sealed class WebhookOutbox(EchoStorage storage, TimeProvider time)
{
    private static readonly TimeSpan ReleaseTimeout = TimeSpan.FromSeconds(10);
    private readonly BlobContainerClient _container = storage.Container(StorageNames.WebhooksContainer);

    /// <summary>One id per job and final status: every attempt, from any replica, carries it, so receivers can de-duplicate.</summary>
    public static string WebhookId(JobRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return $"msg_{record.Id}_{record.Status.ToString().ToLowerInvariant()}";
    }

    /// <summary>One id per batch completion; the prefix tells the dispatcher the body is a batch record.</summary>
    public static string WebhookId(BatchRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return $"{BatchWebhookPrefix}{record.Id}_completed";
    }

    internal const string BatchWebhookPrefix = "msg_batch_";

    /// <summary>Adds the delivery of <paramref name="record"/> (the body is the record as written); one already there is kept as it is.</summary>
    public Task AddAsync(JobRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var target = record.Parameters.CallbackUrl ?? throw new ArgumentException("The job has no callback URL.", nameof(record));
        return AddAsync(WebhookId(record), target, JsonSerializer.SerializeToUtf8Bytes(record, JobJsonContext.Default.JobRecord), cancellationToken);
    }

    /// <summary>Adds the completion webhook of a batch (the body is the completed batch record); one already there is kept.</summary>
    public Task AddAsync(BatchRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var target = record.CallbackUrl ?? throw new ArgumentException("The batch has no callback URL.", nameof(record));
        return AddAsync(WebhookId(record), target, JsonSerializer.SerializeToUtf8Bytes(record, BatchJsonContext.Default.BatchRecord), cancellationToken);
    }

    private async Task AddAsync(string webhookId, Uri target, byte[] body, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var options = new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" },
            Metadata = new OutboxSchedule(0, now, now, OutboxSchedule.OriginOf(target)).ToMetadata(),
            Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
        };
        try
        {
            await _container.GetBlobClient(StorageNames.WebhookBlob(webhookId)).UploadAsync(BinaryData.FromBytes(body), options, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            // Added before (a redelivered message): same webhook-id, and its schedule is not reset.
        }
    }

    /// <summary>Every entry, with its schedule and whether some replica holds it now.</summary>
    public async IAsyncEnumerable<OutboxEntry> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var blobs = _container.GetBlobsAsync(new GetBlobsOptions { Traits = BlobTraits.Metadata }, cancellationToken);
        await foreach (var blob in blobs.ConfigureAwait(false))
        {
            yield return new OutboxEntry(blob.Name, OutboxSchedule.From(blob.Metadata), blob.Properties.LeaseState == LeaseState.Leased);
        }
    }

    /// <summary>The entry, leased to this replica; null when another replica holds it or it is gone.</summary>
    public async Task<OutboxClaim?> TryClaimAsync(string name, TimeSpan leaseDuration, CancellationToken cancellationToken)
    {
        var blob = _container.GetBlobClient(name);
        var lease = blob.GetBlobLeaseClient();
        try
        {
            await lease.AcquireAsync(leaseDuration, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 409)
        {
            return null;
        }

        try
        {
            var content = await blob.DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return new OutboxClaim(blob, lease, content.Value.Content, OutboxSchedule.From(content.Value.Details.Metadata), leaseDuration, time);
        }
        catch
        {
            await ReleaseAsync(lease).ConfigureAwait(false);
            throw;
        }
    }

    internal static async Task ReleaseAsync(BlobLeaseClient lease)
    {
        using var timeout = new CancellationTokenSource(ReleaseTimeout);
        try
        {
            await lease.ReleaseAsync(cancellationToken: timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RequestFailedException or OperationCanceledException)
        {
            // The lease lapses by itself; the entry only waits a little longer.
        }
    }
}

/// <summary>An outbox entry as listed.</summary>
internal sealed record OutboxEntry(string Name, OutboxSchedule Schedule, bool Leased);

/// <summary>
/// An entry's schedule, kept in the blob's metadata: attempts made, when the next may start, when the entry was added
/// (the start of <see cref="WebhookOptions.TotalTimeout"/>) and the target's origin (per-target backoff, without reading the body).
/// </summary>
internal sealed record OutboxSchedule(int Attempts, DateTimeOffset Due, DateTimeOffset Added, string Origin)
{
    private const string AttemptsKey = "attempts";
    private const string DueKey = "due";
    private const string AddedKey = "added";
    private const string OriginKey = "origin";

    public static string OriginOf(Uri target)
    {
        ArgumentNullException.ThrowIfNull(target);
        return string.Create(CultureInfo.InvariantCulture, $"{target.Scheme}://{target.IdnHost}:{target.Port}");
    }

    public Dictionary<string, string> ToMetadata() => new(StringComparer.OrdinalIgnoreCase)
    {
        [AttemptsKey] = Attempts.ToString(CultureInfo.InvariantCulture),
        [DueKey] = Due.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
        [AddedKey] = Added.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
        [OriginKey] = Origin,
    };

    /// <summary>Missing or unreadable values read as "never tried, due now": the entry is delivered rather than stuck.</summary>
    public static OutboxSchedule From(IDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        return new OutboxSchedule(
            metadata.TryGetValue(AttemptsKey, out var attempts) && int.TryParse(attempts, CultureInfo.InvariantCulture, out var a) ? a : 0,
            Time(metadata, DueKey),
            Time(metadata, AddedKey),
            metadata.TryGetValue(OriginKey, out var origin) ? origin : "");
    }

    private static DateTimeOffset Time(IDictionary<string, string> metadata, string key) =>
        metadata.TryGetValue(key, out var value) && long.TryParse(value, CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : DateTimeOffset.UnixEpoch;
}

/// <summary>
/// An outbox entry leased to this replica. The lease is renewed every third of its duration until disposal, which
/// releases it unless the entry was removed; <see cref="Lost"/> fires if a renewal finds the lease gone (this replica
/// stalled past it), so that the attempt stops rather than run alongside another replica's.
/// </summary>
internal sealed class OutboxClaim : IAsyncDisposable
{
    private readonly BlobClient _blob;
    private readonly BlobLeaseClient _lease;
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _done = new();
    private readonly Task _renewal;
    private bool _removed;

    internal OutboxClaim(BlobClient blob, BlobLeaseClient lease, BinaryData body, OutboxSchedule schedule, TimeSpan leaseDuration, TimeProvider time)
    {
        _blob = blob;
        _lease = lease;
        Body = body;
        Schedule = schedule;
        _renewal = RenewAsync(leaseDuration / 3, time);
    }

    public string WebhookId => Path.GetFileNameWithoutExtension(_blob.Name);

    public BinaryData Body { get; }

    public OutboxSchedule Schedule { get; private set; }

    public CancellationToken Lost => _lost.Token;

    private BlobRequestConditions Leased => new() { LeaseId = _lease.LeaseId };

    public async Task RescheduleAsync(OutboxSchedule schedule, CancellationToken cancellationToken)
    {
        await _blob.SetMetadataAsync(schedule.ToMetadata(), Leased, cancellationToken).ConfigureAwait(false);
        Schedule = schedule;
    }

    /// <summary>Deletes the entry: its outcome is on the job record.</summary>
    public async Task RemoveAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _blob.DeleteAsync(DeleteSnapshotsOption.None, Leased, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
        }

        _removed = true;
    }

    public async ValueTask DisposeAsync()
    {
        await _done.CancelAsync().ConfigureAwait(false);
        await _renewal.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (!_removed)
        {
            await WebhookOutbox.ReleaseAsync(_lease).ConfigureAwait(false);
        }

        _done.Dispose();
        _lost.Dispose();
    }

    private async Task RenewAsync(TimeSpan interval, TimeProvider time)
    {
        using var timer = new PeriodicTimer(interval, time);
        while (await timer.WaitForNextTickAsync(_done.Token).ConfigureAwait(false))
        {
            try
            {
                await _lease.RenewAsync(cancellationToken: _done.Token).ConfigureAwait(false);
            }
            catch (RequestFailedException ex) when (ex.Status is 404 or 409 or 412)
            {
                await _lost.CancelAsync().ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Transient (the SDK has retried already): the lease still has a third of its time; the next tick tries again.
            }
        }
    }
}
