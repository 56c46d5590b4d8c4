using Azure.Storage.Queues;

namespace EchoPipeline.Jobs.Storage;

/// <summary>Sends claim-check messages to <c>echo-jobs</c> (Base64 bodies, like Functions' queue bindings).</summary>
public sealed class JobQueueClient
{
    // The service reads -1 s as "never expires": the default (7 days) would silently drop a job nobody got to.
    private static readonly TimeSpan NeverExpires = TimeSpan.FromSeconds(-1);
    private readonly QueueClient _queue;

    public JobQueueClient(EchoStorage storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        _queue = storage.Queue(StorageNames.JobsQueue);
    }

    public async Task<string> EnqueueAsync(JobId id, CancellationToken cancellationToken = default)
    {
        var receipt = await _queue.SendMessageAsync(JobMessage.For(id).ToJson(), visibilityTimeout: null, timeToLive: NeverExpires, cancellationToken).ConfigureAwait(false);
        return receipt.Value.MessageId;
    }
}
