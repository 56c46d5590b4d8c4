using System.Text;
using System.Text.Json.Nodes;
using EchoPipeline.Ingest;
using EchoPipeline.Jobs;
using EchoPipeline.Jobs.Storage;

namespace EchoPipeline.Cli.LocalPipeline;

/// <summary>A blob a BlobCreated event names, with what the event carries about it.</summary>
internal sealed record UploadedBlob(string Container, string Name, string ETag, long Length, string ContentType);

/// <summary>Where the CLI sends the BlobCreated events of an account without Event Grid (Azurite, or before the subscription exists).</summary>
internal abstract class EventDelivery
{
    public abstract Task<DeliveredJob> DeliverAsync(UploadedBlob blob, CancellationToken cancellationToken);
}

/// <summary>
/// The ingest library in this process: the same <see cref="IngestService.IngestUploadAsync"/> that the OnVideoUploaded
/// function calls with the blob trigger's BlobClient, here with a BlobClient of the CLI's account.
/// </summary>
internal sealed class InProcessDelivery(EchoStorage storage, IngestService ingest) : EventDelivery
{
    public override async Task<DeliveredJob> DeliverAsync(UploadedBlob blob, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blob);
        var outcome = await ingest.IngestUploadAsync(storage.Container(blob.Container).GetBlobClient(blob.Name), cancellationToken).ConfigureAwait(false);
        var disposition = outcome.Disposition.ToString().ToLowerInvariant();
        return outcome.Job is { } job
            ? new DeliveredJob(job.Id.Value, disposition, job.Status.ToString().ToLowerInvariant(), job.Error?.Message)
            : new DeliveredJob(null, disposition, null, outcome.Disposition == IngestDisposition.Skipped ? "staged by SubmitJob, which made its job" : $"not in '{StorageNames.VideosContainer}'");
    }
}

/// <summary>
/// Posts each event as Event Grid does (Event Grid schema, a JSON array, <c>aeg-event-type: Notification</c>), e.g. to
/// a Functions host's blobs extension (/runtime/webhooks/blobs?functionName=Host.Functions.OnVideoUploaded&amp;code=KEY).
/// That endpoint queues the event and answers at once, so the job id is the one the ingest will derive.
/// </summary>
internal sealed class WebhookDelivery(HttpClient http, Uri target, Uri blobEndpoint, string bundleId, TimeProvider time) : EventDelivery
{
    public override async Task<DeliveredJob> DeliverAsync(UploadedBlob blob, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blob);
        var gridEvent = BlobCreatedEvents.Create(blobEndpoint, blob.Container, blob.Name, blob.ETag, blob.Length, blob.ContentType, time.GetUtcNow());
        using var request = new HttpRequestMessage(HttpMethod.Post, target)
        {
            Content = new StringContent(new JsonArray(gridEvent).ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("aeg-event-type", "Notification");
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var reply = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new HttpRequestException($"{target.GetLeftPart(UriPartial.Path)} answered {(int)response.StatusCode} to the BlobCreated event: {reply}");
        }

        // The id the host's ingest will derive with its Ingest:BundleId (--bundle-id).
        var jobId = JobId.Derive(SourceIdentity.ForBlob(blob.Container, blob.Name, blob.ETag), JobParameters.ForBlobCreated, bundleId);
        return new DeliveredJob(jobId.Value, "delivered", null, null);
    }
}
