using Azure;
using Azure.Core;
using EchoPipeline.Storage.Pipeline;

namespace EchoPipeline.Storage.Blobs;

/// <summary>Blob operations within one container. Blob names are '/'-separated paths; each segment is percent-encoded on the wire.</summary>
public sealed class BlobContainerClient
{
    private readonly StoragePipeline _pipeline;

    internal BlobContainerClient(Uri blobEndpoint, string containerName, StoragePipeline pipeline)
    {
        ArgumentException.ThrowIfNullOrEmpty(containerName);
        Name = containerName;
        Uri = StorageUri.Append(blobEndpoint, containerName);
        _pipeline = pipeline;
    }

    public string Name { get; }

    public Uri Uri { get; }

    public Uri GetBlobUri(string blobName)
    {
        ArgumentException.ThrowIfNullOrEmpty(blobName);
        if (blobName.Split('/').Any(segment => segment is "." or ".."))
        {
            // URI normalization would silently address a different blob.
            throw new ArgumentException($"Blob name '{blobName}' has a '.' or '..' path segment.", nameof(blobName));
        }

        return StorageUri.Append(Uri, blobName);
    }

    /// <summary>Creates the container; returns false when it already existed.</summary>
    public async Task<bool> CreateIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        using var message = CreateContainerMessage(RequestMethod.Put);
        var response = await _pipeline.SendAsync(message, cancellationToken, toleratedStatus: 409).ConfigureAwait(false);
        return response.Status == 201;
    }

    /// <summary>Deletes the container and all its blobs; returns false when it did not exist.</summary>
    public async Task<bool> DeleteIfExistsAsync(CancellationToken cancellationToken = default)
    {
        using var message = CreateContainerMessage(RequestMethod.Delete);
        var response = await _pipeline.SendAsync(message, cancellationToken, toleratedStatus: 404).ConfigureAwait(false);
        return response.Status == 202;
    }

    /// <summary>Uploads <paramref name="content"/> from its current position to the end, in blocks when it is large or unseekable.</summary>
    public Task<Response<BlobContentInfo>> UploadAsync(string blobName, Stream content, BlobUploadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        return new BlobUploader(_pipeline, GetBlobUri(blobName), options).UploadAsync(content, cancellationToken);
    }

    public Task<Response<BlobContentInfo>> UploadAsync(string blobName, BinaryData content, BlobUploadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        return UploadAsync(blobName, content.ToStream(), options, cancellationToken);
    }

    /// <summary>Opens the blob's body as a stream straight from the response; the caller disposes the result.</summary>
    public async Task<Response<BlobDownloadStreamingResult>> DownloadStreamingAsync(string blobName, RequestConditions? conditions = null, CancellationToken cancellationToken = default)
    {
        using var message = CreateBlobMessage(RequestMethod.Get, blobName, conditions);
        message.BufferResponse = false;
        var response = await _pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        var content = message.ExtractResponseContent() ?? Stream.Null;
        return Response.FromValue(new BlobDownloadStreamingResult(content, BlobProperties.FromResponse(response)), response);
    }

    /// <summary>Downloads a (small) blob into memory, e.g. a JSON record.</summary>
    public async Task<Response<BinaryData>> DownloadContentAsync(string blobName, RequestConditions? conditions = null, CancellationToken cancellationToken = default)
    {
        using var message = CreateBlobMessage(RequestMethod.Get, blobName, conditions);
        var response = await _pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        return Response.FromValue(response.Content, response);
    }

    public async Task<Response<BlobProperties>> GetPropertiesAsync(string blobName, RequestConditions? conditions = null, CancellationToken cancellationToken = default)
    {
        using var message = CreateBlobMessage(RequestMethod.Head, blobName, conditions);
        var response = await _pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        return Response.FromValue(BlobProperties.FromResponse(response), response);
    }

    public async Task<bool> ExistsAsync(string blobName, CancellationToken cancellationToken = default)
    {
        using var message = CreateBlobMessage(RequestMethod.Head, blobName, conditions: null);
        var response = await _pipeline.SendAsync(message, cancellationToken, toleratedStatus: 404).ConfigureAwait(false);
        return response.Status != 404;
    }

    /// <summary>Replaces all user metadata of the blob.</summary>
    public async Task<Response<BlobContentInfo>> SetMetadataAsync(string blobName, IDictionary<string, string> metadata, RequestConditions? conditions = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        using var message = CreateBlobMessage(RequestMethod.Put, blobName, conditions);
        message.Request.Uri.AppendQuery("comp", "metadata");
        StorageHeaderValues.SetMetadata(message.Request, metadata);
        var response = await _pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        return Response.FromValue(BlobContentInfo.FromResponse(response), response);
    }

    public async Task<Response> DeleteAsync(string blobName, RequestConditions? conditions = null, CancellationToken cancellationToken = default)
    {
        using var message = CreateBlobMessage(RequestMethod.Delete, blobName, conditions);
        return await _pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> DeleteIfExistsAsync(string blobName, RequestConditions? conditions = null, CancellationToken cancellationToken = default)
    {
        using var message = CreateBlobMessage(RequestMethod.Delete, blobName, conditions);
        var response = await _pipeline.SendAsync(message, cancellationToken, toleratedStatus: 404).ConfigureAwait(false);
        return response.Status == 202;
    }

    /// <summary>Lists blobs (with metadata) whose names start with <paramref name="prefix"/>, in name order, one service page at a time.</summary>
    public AsyncPageable<BlobItem> GetBlobsAsync(string? prefix = null, CancellationToken cancellationToken = default) =>
        new StoragePageable<BlobItem>((marker, pageSize, ct) => ListPageAsync(prefix, marker, pageSize, ct), cancellationToken);

    private async Task<Page<BlobItem>> ListPageAsync(string? prefix, string? marker, int? pageSize, CancellationToken cancellationToken)
    {
        using var message = CreateContainerMessage(RequestMethod.Get);
        var uri = message.Request.Uri;
        uri.AppendQuery("comp", "list");
        uri.AppendQuery("include", "metadata");
        if (!string.IsNullOrEmpty(prefix))
        {
            uri.AppendQuery("prefix", prefix, escapeValue: true);
        }

        if (!string.IsNullOrEmpty(marker))
        {
            uri.AppendQuery("marker", marker, escapeValue: true);
        }

        if (pageSize is { } size)
        {
            uri.AppendQuery("maxresults", size.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var response = await _pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        return BlobListing.ParsePage(response);
    }

    private HttpMessage CreateContainerMessage(RequestMethod method)
    {
        var message = _pipeline.CreateMessage(method, Uri);
        message.Request.Uri.AppendQuery("restype", "container");
        return message;
    }

    private HttpMessage CreateBlobMessage(RequestMethod method, string blobName, RequestConditions? conditions)
    {
        var message = _pipeline.CreateMessage(method, GetBlobUri(blobName));
        StorageHeaderValues.SetConditions(message.Request, conditions);
        return message;
    }
}
