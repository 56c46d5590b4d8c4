using System.Text;
using Azure.Storage.Queues;
using EchoPipeline.Ingest;
using EchoPipeline.Jobs;

namespace EchoPipeline.Cli.Chaos;

/// <summary>
/// Messages no job submission makes, sent straight to <c>echo-jobs</c>: text that is not Base64 (the SDK cannot decode
/// it), Base64 of something that is not a job message, and a well-formed message for a job that does not exist.
/// Each should end on the poison queue without stopping a worker.
/// </summary>
internal static class BadMessages
{
    public const int Count = 3;

    public static async Task SendAsync(string connectionString, CancellationToken cancellationToken)
    {
        // Encoding None: the pipeline's clients Base64-encode, so only a raw client can put undecodable text there.
        var raw = new QueueClient(connectionString, StorageNames.JobsQueue, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });
        await raw.SendMessageAsync("%%% chaos: not base64 %%%", cancellationToken).ConfigureAwait(false);
        await raw.SendMessageAsync(Base64("{ chaos: not a job message"), cancellationToken).ConfigureAwait(false);
        var unknown = JobId.Derive(SourceIdentity.ForBlob(StorageNames.VideosContainer, $"chaos-never-uploaded-{Guid.NewGuid():N}", "\"0x0\""), JobParameters.ForBlobCreated, IngestOptions.DefaultBundleId);
        await raw.SendMessageAsync(Base64(JobMessage.For(unknown).ToJson()), cancellationToken).ConfigureAwait(false);
    }

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
