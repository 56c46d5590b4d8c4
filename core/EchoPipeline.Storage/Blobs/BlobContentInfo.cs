using Azure;
using EchoPipeline.Storage.Pipeline;

namespace EchoPipeline.Storage.Blobs;

/// <summary>What a write returns: the blob's new ETag and modification time.</summary>
public sealed record BlobContentInfo(ETag ETag, DateTimeOffset LastModified)
{
    internal static BlobContentInfo FromResponse(Response response) =>
        new(response.Headers.ETag ?? default, StorageHeaderValues.GetDate(response, "Last-Modified"));
}
