using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using EchoPipeline.Jobs.Storage;
using EchoPipeline.Worker.Hosting;

namespace EchoPipeline.Worker.Queue;

/// <summary>
/// A received message while its job runs: renews the visibility timeout every third of it, always with the newest
/// pop receipt, and settles the message exactly once (delete, release, or move to the poison queue). A renewal that
/// finds the message gone (another consumer took it over) cancels <see cref="Lost"/>.
/// </summary>
internal sealed class MessageLease : IAsyncDisposable
{
    private readonly QueueClient _queue;
    private readonly TimeSpan _visibility;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _stopRenewal = new();
    private readonly CancellationTokenSource _lost = new();
    private readonly Task _renewal;
    private readonly ILogger _logger;
    private string _popReceipt;
    private bool _settled;

    public MessageLease(QueueClient queue, QueueMessage message, WorkerOptions options, TimeProvider time, ILogger logger)
    {
        _queue = queue;
        Message = message;
        _visibility = options.VisibilityTimeout;
        _popReceipt = message.PopReceipt;
        _logger = logger;
        _renewal = RenewLoopAsync(options.RenewInterval, time);
    }

    public QueueMessage Message { get; }

    public CancellationToken Lost => _lost.Token;

    /// <summary>Renews now; used by the loop and by tests.</summary>
    public Task RenewAsync(CancellationToken cancellationToken) => SettleOrUpdateAsync(settle: false, async () =>
    {
        var receipt = await _queue.UpdateMessageAsync(Message.MessageId, _popReceipt, visibilityTimeout: _visibility, cancellationToken: cancellationToken).ConfigureAwait(false);
        _popReceipt = receipt.Value.PopReceipt;
    });

    /// <summary>Deletes the message: the job is done (or needs no work).</summary>
    public Task CompleteAsync(CancellationToken cancellationToken) => SettleOrUpdateAsync(settle: true, () =>
        IgnoreGoneAsync(_queue.DeleteMessageAsync(Message.MessageId, _popReceipt, cancellationToken)));

    /// <summary>Makes the message visible again after <paramref name="delay"/> (zero: at once) for another attempt.</summary>
    public Task ReleaseAsync(TimeSpan delay, CancellationToken cancellationToken) => SettleOrUpdateAsync(settle: true, () =>
        IgnoreGoneAsync(_queue.UpdateMessageAsync(Message.MessageId, _popReceipt, visibilityTimeout: delay, cancellationToken: cancellationToken)));

    /// <summary>Copies the message to <paramref name="poison"/>, then deletes it here.</summary>
    public Task DeadLetterAsync(QueueClient poison, CancellationToken cancellationToken) => SettleOrUpdateAsync(settle: true, async () =>
    {
        await poison.SendMessageAsync(Message.Body, timeToLive: QueueTimeToLive.Never, cancellationToken: cancellationToken).ConfigureAwait(false);
        await IgnoreGoneAsync(_queue.DeleteMessageAsync(Message.MessageId, _popReceipt, cancellationToken)).ConfigureAwait(false);
    });

    public async ValueTask DisposeAsync()
    {
        await _stopRenewal.CancelAsync().ConfigureAwait(false);
        await _renewal.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stopRenewal.Dispose();
        _lost.Dispose();
        _gate.Dispose();
    }

    private async Task SettleOrUpdateAsync(bool settle, Func<Task> operation)
    {
        if (settle)
        {
            await _stopRenewal.CancelAsync().ConfigureAwait(false);
        }

        await _gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            if (_settled)
            {
                return;
            }

            await operation().ConfigureAwait(false);
            _settled |= settle;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task RenewLoopAsync(TimeSpan interval, TimeProvider time)
    {
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopRenewal.Token).ConfigureAwait(false))
            {
                try
                {
                    // Not cancellable once sent: a renewal that succeeds unseen would leave us a stale pop receipt.
                    await RenewAsync(CancellationToken.None).ConfigureAwait(false);
                    WorkerLog.LeaseRenewed(_logger, Message.MessageId);
                }
                catch (RequestFailedException ex) when (ex.Status is 404 or 400)
                {
                    // The receipt is stale: the timeout lapsed and another consumer owns the message now.
                    WorkerLog.LeaseLost(_logger, Message.MessageId, ex.Status);
                    await _lost.CancelAsync().ConfigureAwait(false);
                    return;
                }
                catch (RequestFailedException ex)
                {
                    // Transient (after the pipeline's own retries): two more ticks remain before the message would reappear.
                    WorkerLog.LeaseRenewalFailed(_logger, Message.MessageId, ex);
                }
            }
        }
        catch (OperationCanceledException) when (_stopRenewal.IsCancellationRequested)
        {
        }
    }

    private static async Task IgnoreGoneAsync(Task operation)
    {
        try
        {
            await operation.ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Already deleted or taken over; nothing of ours is left to settle.
        }
    }
}
