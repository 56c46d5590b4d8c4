using Azure.Storage.Blobs;
using EchoPipeline.Functions.Hosting;
using EchoPipeline.Ingest;
using Microsoft.Azure.Functions.Worker;

namespace EchoPipeline.Functions.Functions;

/// <summary>
/// An upload to <c>videos</c> becomes a job. Event Grid posts BlobCreated to the blobs extension's webhook
/// (/runtime/webhooks/blobs?functionName=Host.Functions.OnVideoUploaded), which answers at once and runs this
/// function from its internal queue, bounded by host.json's extensions.blobs.maxDegreeOfParallelism. The function
/// gets a <see cref="BlobClient"/>, never the bytes: videos are gigabytes, and the ingest streams what it needs.
/// </summary>
public sealed class OnVideoUploadedFunction(IngestService ingest, ILogger<OnVideoUploadedFunction> logger)
{
    /// <summary>The app setting prefix of the storage connection the trigger and the ingest share.</summary>
    public const string Connection = "EchoStorage";

    [Function(FunctionNames.OnVideoUploaded)]
    public async Task RunAsync(
        [BlobTrigger("videos/{name}", Source = BlobTriggerSource.EventGrid, Connection = Connection)] BlobClient blob,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blob);
        // Bad input becomes a failed job record; only infrastructure failures throw, and the host retries those.
        var outcome = await ingest.IngestUploadAsync(blob, cancellationToken).ConfigureAwait(false);
        FunctionsLog.UploadIngested(logger, blob.Name, outcome.ToString());
    }
}
