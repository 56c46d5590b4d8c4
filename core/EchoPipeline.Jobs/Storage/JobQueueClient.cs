using EchoPipeline.Storage;
using EchoPipeline.Storage.Queues;

namespace EchoPipeline.Jobs.Storage;

/// <summary>Sends claim-check messages to <c>echo-jobs</c>; the account decides the body encoding (Base64, like Functions).</summary>
public sealed class JobQueueClient
{
    private readonly QueueClient _queue;

    public JobQueueClient(StorageAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        _queue = account.GetQueueClient(StorageNames.JobsQueue);
    }

    public async Task<string> EnqueueAsync(JobId id, CancellationToken cancellationToken = default)
    {
        var receipt = await _queue.SendMessageAsync(JobMessage.For(id).ToJson(), cancellationToken: cancellationToken).ConfigureAwait(false);
        return receipt.Value.MessageId;
    }
}
