using System.Globalization;
using Azure;
using EchoPipeline.Storage.Pipeline;

namespace EchoPipeline.Storage.Blobs;

/// <summary>A blob's system properties and user metadata.</summary>
public sealed record BlobProperties(
    ETag ETag,
    DateTimeOffset LastModified,
    long ContentLength,
    string? ContentType,
    IReadOnlyDictionary<string, string> Metadata)
{
    internal static BlobProperties FromResponse(Response response) => new(
        response.Headers.ETag ?? default,
        StorageHeaderValues.GetDate(response, "Last-Modified"),
        response.Headers.TryGetValue("Content-Length", out var length) ? long.Parse(length, CultureInfo.InvariantCulture) : 0,
        response.Headers.ContentType,
        StorageHeaderValues.GetMetadata(response));
}
