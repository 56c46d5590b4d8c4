using System.Buffers;
using System.Globalization;
using System.Text;
using System.Xml.Linq;
using Azure;
using Azure.Core;
using EchoPipeline.Storage.Pipeline;

namespace EchoPipeline.Storage.Blobs;

/// <summary>
/// Uploads a block blob: one Put Blob when the content is small enough, otherwise Put Block for each
/// <see cref="StorageClientOptions.BlockSize"/> chunk (several in flight) and one Put Block List that commits them.
/// Headers, metadata and conditions go on the committing request, so a failed precondition leaves the blob as it was.
/// </summary>
internal sealed class BlobUploader(StoragePipeline pipeline, Uri blobUri, BlobUploadOptions? options)
{
    private readonly StorageClientOptions _settings = pipeline.Options;

    public async Task<Response<BlobContentInfo>> UploadAsync(Stream content, CancellationToken cancellationToken)
    {
        if (content.CanSeek && content.Length - content.Position <= _settings.SingleUploadThreshold)
        {
            return await PutBlobAsync(RequestContent.Create(content), cancellationToken).ConfigureAwait(false);
        }

        var uploadId = Guid.NewGuid().ToString("N");
        var blockIds = new List<string>();
        var uploads = new List<Task>();
        using var slots = new SemaphoreSlim(_settings.MaxUploadConcurrency);
        try
        {
            while (!uploads.Exists(upload => upload.IsFaulted))
            {
                await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
                var buffer = ArrayPool<byte>.Shared.Rent(_settings.BlockSize);
                var read = await ReadBlockAsync(content, buffer, slots, cancellationToken).ConfigureAwait(false);
                if (blockIds.Count == 0 && read < _settings.BlockSize && read <= _settings.SingleUploadThreshold)
                {
                    // The whole (unseekable) stream fit in one read: a single request is enough.
                    using var lease = new BlockLease(buffer, slots);
                    return await PutBlobAsync(RequestContent.Create(buffer.AsMemory(0, read)), cancellationToken).ConfigureAwait(false);
                }

                if (read == 0)
                {
                    new BlockLease(buffer, slots).Dispose();
                    break;
                }

                var blockId = Convert.ToBase64String(Encoding.ASCII.GetBytes($"{uploadId}-{blockIds.Count.ToString("D6", CultureInfo.InvariantCulture)}"));
                blockIds.Add(blockId);
                uploads.Add(PutBlockAsync(blockId, new BlockLease(buffer, slots), read, cancellationToken));
                if (read < _settings.BlockSize)
                {
                    break;
                }
            }

            await Task.WhenAll(uploads).ConfigureAwait(false);
        }
        catch
        {
            // Let staged blocks finish with their buffers before the failure surfaces.
            await Task.WhenAll(uploads).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            throw;
        }

        return await PutBlockListAsync(blockIds, cancellationToken).ConfigureAwait(false);
    }

    private async Task<int> ReadBlockAsync(Stream content, byte[] buffer, SemaphoreSlim slots, CancellationToken cancellationToken)
    {
        try
        {
            return await content.ReadAtLeastAsync(buffer.AsMemory(0, _settings.BlockSize), _settings.BlockSize, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            new BlockLease(buffer, slots).Dispose();
            throw;
        }
    }

    private async Task<Response<BlobContentInfo>> PutBlobAsync(RequestContent content, CancellationToken cancellationToken)
    {
        using var message = CreateCommitMessage(content);
        message.Request.Headers.SetValue("x-ms-blob-type", "BlockBlob");
        var response = await pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        return Response.FromValue(BlobContentInfo.FromResponse(response), response);
    }

    private async Task PutBlockAsync(string blockId, BlockLease lease, int length, CancellationToken cancellationToken)
    {
        using (lease)
        {
            using var message = pipeline.CreateMessage(RequestMethod.Put, blobUri);
            message.Request.Uri.AppendQuery("comp", "block");
            message.Request.Uri.AppendQuery("blockid", blockId, escapeValue: true);
            message.Request.Content = RequestContent.Create(lease.Buffer.AsMemory(0, length));
            await pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<Response<BlobContentInfo>> PutBlockListAsync(List<string> blockIds, CancellationToken cancellationToken)
    {
        var blockList = new XElement("BlockList", blockIds.Select(id => new XElement("Latest", id)));
        using var message = CreateCommitMessage(RequestContent.Create(Encoding.UTF8.GetBytes(blockList.ToString(SaveOptions.DisableFormatting))));
        message.Request.Uri.AppendQuery("comp", "blocklist");
        message.Request.Headers.SetValue("Content-Type", "application/xml");
        var response = await pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        return Response.FromValue(BlobContentInfo.FromResponse(response), response);
    }

    private HttpMessage CreateCommitMessage(RequestContent content)
    {
        var message = pipeline.CreateMessage(RequestMethod.Put, blobUri);
        message.Request.Content = content;
        if (options?.ContentType is { } contentType)
        {
            message.Request.Headers.SetValue("x-ms-blob-content-type", contentType);
        }

        StorageHeaderValues.SetMetadata(message.Request, options?.Metadata);
        StorageHeaderValues.SetConditions(message.Request, options?.Conditions);
        return message;
    }

    /// <summary>A pooled block buffer plus its concurrency slot, both given back on dispose.</summary>
    private sealed class BlockLease(byte[] buffer, SemaphoreSlim slots) : IDisposable
    {
        public byte[] Buffer { get; } = buffer;

        public void Dispose()
        {
            ArrayPool<byte>.Shared.Return(Buffer);
            slots.Release();
        }
    }
}
