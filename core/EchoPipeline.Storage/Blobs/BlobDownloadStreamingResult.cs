namespace EchoPipeline.Storage.Blobs;

/// <summary>A blob's body as a network stream (read it once, then dispose) with the properties of the version being read.</summary>
public sealed class BlobDownloadStreamingResult(Stream content, BlobProperties properties) : IDisposable, IAsyncDisposable
{
    public Stream Content { get; } = content;

    public BlobProperties Properties { get; } = properties;

    public void Dispose() => Content.Dispose();

    public ValueTask DisposeAsync() => Content.DisposeAsync();
}
