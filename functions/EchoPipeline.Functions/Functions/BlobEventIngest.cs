using EchoPipeline.Functions.Events;
using EchoPipeline.Functions.Hosting;
using EchoPipeline.Functions.Ingest;
using EchoPipeline.Jobs;

namespace EchoPipeline.Functions.Functions;

/// <summary>Handles the events of one delivery for both entry points (eventGridTrigger and the webhook).</summary>
public sealed class BlobEventIngest(IngestService ingest, ILogger<BlobEventIngest> logger)
{
    public async Task<IReadOnlyList<WebhookJob>> HandleAsync(IReadOnlyList<IncomingEvent> events, CancellationToken cancellationToken)
    {
        var results = new List<WebhookJob>();
        foreach (var e in events)
        {
            if (e.Type != IncomingEvent.BlobCreatedType)
            {
                FunctionsLog.EventIgnored(logger, e.Id, e.Type, "not a BlobCreated event");
                results.Add(new WebhookJob(e.Id, null, "ignored", null, $"{e.Type} is not {IncomingEvent.BlobCreatedType}"));
                continue;
            }

            BlobCreatedEvent blob;
            try
            {
                blob = BlobCreatedEvent.From(e);
            }
            catch (InvalidEventException ex)
            {
                FunctionsLog.EventMalformed(logger, ex.Message);
                results.Add(new WebhookJob(e.Id, null, "malformed", null, ex.Message));
                continue;
            }

            if (blob.Container != StorageNames.VideosContainer)
            {
                FunctionsLog.EventIgnored(logger, e.Id, e.Type, $"container '{blob.Container}' is not '{StorageNames.VideosContainer}'");
                results.Add(new WebhookJob(e.Id, null, "ignored", null, $"container '{blob.Container}' is not '{StorageNames.VideosContainer}'"));
                continue;
            }

            var outcome = await ingest.IngestBlobAsync(blob.BlobName, JobParameters.ForBlobCreated, blob.ETag, fromEvent: true, cancellationToken).ConfigureAwait(false);
            var disposition = outcome.Disposition.ToString().ToLowerInvariant();
            results.Add(outcome.Job is { } job
                ? new WebhookJob(e.Id, job.Id.Value, disposition, job.Status, job.Error?.Message)
                : new WebhookJob(e.Id, null, disposition, null, "staged by SubmitJob, which made its job"));
        }

        return results;
    }
}
