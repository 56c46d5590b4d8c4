using Azure.Storage.Queues;

namespace EchoPipeline.Jobs.Storage;

/// <summary>Sends claim-check messages to <c>echo-jobs</c> (Base64 bodies, like Functions' queue bindings).</summary>
public sealed class JobQueueClient
{
    private readonly QueueClient _queue;

    public JobQueueClient(EchoStorage storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        _queue = storage.Queue(StorageNames.JobsQueue);
    }

    public async Task<string> EnqueueAsync(JobId id, CancellationToken cancellationToken = default)
    {
        var receipt = await _queue.SendMessageAsync(JobMessage.For(id).ToJson(), visibilityTimeout: null, timeToLive: QueueTimeToLive.Never, cancellationToken).ConfigureAwait(false);
        return receipt.Value.MessageId;
    }
}
