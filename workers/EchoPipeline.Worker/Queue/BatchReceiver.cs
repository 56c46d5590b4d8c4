using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using EchoPipeline.Worker.Hosting;

namespace EchoPipeline.Worker.Queue;

/// <summary>
/// Dynamic batching: receives up to <paramref name="batchSize"/> messages (the engine's batch size), and once the first
/// arrives keeps topping the batch up for at most <see cref="WorkerOptions.BatchWaitMs"/>.
/// </summary>
internal sealed class BatchReceiver(QueueClient queue, int batchSize, WorkerOptions options, TimeProvider time)
{
    private static readonly TimeSpan TopUpPoll = TimeSpan.FromMilliseconds(50);

    /// <summary>The batch, possibly empty. Cancellation after the first message ends the wait and returns what arrived.</summary>
    public async Task<IReadOnlyList<QueueMessage>> ReceiveAsync(CancellationToken cancellationToken)
    {
        var batch = new List<QueueMessage>(await ReceiveUpToAsync(batchSize, cancellationToken).ConfigureAwait(false));
        if (batch.Count == 0)
        {
            return batch;
        }

        var deadline = time.GetTimestamp() + (long)(options.BatchWaitMs / 1000.0 * time.TimestampFrequency);
        try
        {
            while (batch.Count < batchSize && time.GetTimestamp() < deadline)
            {
                var remaining = TimeSpan.FromSeconds((double)(deadline - time.GetTimestamp()) / time.TimestampFrequency);
                await Task.Delay(remaining < TopUpPoll ? remaining : TopUpPoll, time, cancellationToken).ConfigureAwait(false);
                batch.AddRange(await ReceiveUpToAsync(batchSize - batch.Count, cancellationToken).ConfigureAwait(false));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: the messages already received are ours; run them rather than leave them hidden.
        }

        return batch;
    }

    private async Task<IReadOnlyList<QueueMessage>> ReceiveUpToAsync(int count, CancellationToken cancellationToken) =>
        (await queue.ReceiveMessagesAsync(count, options.VisibilityTimeout, cancellationToken).ConfigureAwait(false)).Value;
}
