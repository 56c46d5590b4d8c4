using Azure;

namespace EchoPipeline.Storage.Blobs;

/// <summary>Content type, metadata and preconditions of an upload.</summary>
public sealed class BlobUploadOptions
{
    public string? ContentType { get; set; }

    public IDictionary<string, string>? Metadata { get; set; }

    /// <summary>Use <c>IfNoneMatch = ETag.All</c> to create only when absent, <c>IfMatch = etag</c> to overwrite only that version.</summary>
    public RequestConditions? Conditions { get; set; }
}
