using EchoPipeline.Jobs.Storage;

namespace EchoPipeline.Cli.LocalPipeline;

/// <summary>
/// Event delivery for an account without Event Grid: lists the container and delivers a BlobCreated event for every
/// blob version (name + ETag) it has not seen. Ingest is idempotent per blob version, so a repeat does no harm.
/// </summary>
internal sealed class ContainerWatcher(EchoStorage storage, string container, EventDelivery delivery)
{
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    /// <summary>Marks what is already there as seen, so only later uploads are delivered.</summary>
    public async Task SkipExistingAsync(CancellationToken cancellationToken)
    {
        await foreach (var blob in storage.Container(container).GetBlobsAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            _seen.Add(Key(blob.Name, HeaderETag(blob)));
        }
    }

    /// <summary>One listing: delivers the new blob versions and returns what the ingest answered for each.</summary>
    public async Task<IReadOnlyList<(string BlobName, DeliveredJob Job)>> PollAsync(CancellationToken cancellationToken)
    {
        var delivered = new List<(string, DeliveredJob)>();
        await foreach (var blob in storage.Container(container).GetBlobsAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var etag = HeaderETag(blob);
            if (!_seen.Add(Key(blob.Name, etag)))
            {
                continue;
            }

            var uploaded = new UploadedBlob(container, blob.Name, etag, blob.Properties.ContentLength ?? 0, blob.Properties.ContentType ?? ContentTypes.For(blob.Name));
            try
            {
                delivered.Add((blob.Name, await delivery.DeliverAsync(uploaded, cancellationToken).ConfigureAwait(false)));
            }
            catch
            {
                _seen.Remove(Key(blob.Name, etag)); // delivered again on the next poll
                throw;
            }
        }

        return delivered;
    }

    private static string Key(string name, string etag) => name + "\n" + etag;

    // Listings carry the ETag unquoted, uploads and Get Properties quoted: one form, so both derive the same job id.
    private static string HeaderETag(Azure.Storage.Blobs.Models.BlobItem blob) => blob.Properties.ETag?.ToString("H") ?? "";
}
