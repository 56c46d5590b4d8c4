using Azure.Core;
using Azure.Core.Pipeline;

namespace EchoPipeline.Functions.Tests.Support;

/// <summary>
/// A pipeline policy for the app's blob client that runs <paramref name="change"/> just before the first download
/// (GET) of <paramref name="blob"/> goes out: a real storage race (deleted or overwritten between the ingest's HEAD
/// and its read), made to happen every time.
/// </summary>
public sealed class ChangeBlobBeforeRead(Uri blob, Func<Task> change) : HttpPipelinePolicy
{
    private int _fired;

    /// <summary>How many times the change ran (once at most): proof that the read happened after it.</summary>
    public int Fired => _fired;

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        if (message.Request.Method == RequestMethod.Get && message.Request.Uri.Path.TrimStart('/') == blob.AbsolutePath.TrimStart('/') && Interlocked.Exchange(ref _fired, 1) == 0)
        {
            await change();
        }

        await ProcessNextAsync(message, pipeline);
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        throw new NotSupportedException("The ingest reads blobs asynchronously.");
}
