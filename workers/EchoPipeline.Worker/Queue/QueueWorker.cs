using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using EchoPipeline.Jobs;
using EchoPipeline.Jobs.Storage;
using EchoPipeline.Worker.Hosting;
using EchoPipeline.Worker.Processing;
using Microsoft.Extensions.Options;

namespace EchoPipeline.Worker.Queue;

/// <summary>
/// The consume loop: load the bundle, then receive a batch, lease it, process it, repeat. On SIGTERM it stops
/// receiving and lets the batch in flight finish until the host's shutdown timeout; then it cancels the batch and
/// makes its messages visible again at once, so another worker takes them over with nothing lost.
/// </summary>
internal sealed class QueueWorker(
    EchoStorage storage,
    StorageProvisioner provisioner,
    EngineHost engine,
    JobBatchProcessor processor,
    WorkerHealth health,
    IOptions<WorkerOptions> options,
    TimeProvider time,
    ILogger<QueueWorker> logger,
    ILogger<MessageLease> leaseLogger) : BackgroundService
{
    private static readonly TimeSpan MinIdleDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan ReleaseTimeout = TimeSpan.FromSeconds(10);
    private readonly CancellationTokenSource _inFlight = new();
    private readonly QueueClient _queue = storage.Queue(StorageNames.JobsQueue);
    private readonly WorkerOptions _options = options.Value;

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // The host cancels cancellationToken when HostOptions.ShutdownTimeout runs out: that ends the grace period.
        using var graceOver = cancellationToken.Register(_inFlight.Cancel);
        await base.StopAsync(CancellationToken.None).ConfigureAwait(false);
    }

    public override void Dispose()
    {
        _inFlight.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        if (WorkDirectories.DeleteOrphans(_options.TempDirectory ?? Path.GetTempPath()) is > 0 and var orphans)
        {
            WorkerLog.OrphansDeleted(logger, orphans);
        }

        engine.Load(stoppingToken);
        await provisioner.EnsureAsync(stoppingToken).ConfigureAwait(false);
        health.MarkReady();
        var receiver = new BatchReceiver(_queue, _options, time);
        var idle = MinIdleDelay;
        while (!stoppingToken.IsCancellationRequested)
        {
            health.Beat();
            IReadOnlyList<QueueMessage> messages;
            try
            {
                messages = await receiver.ReceiveAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // Storage errors were already retried by the SDK; whatever else a receive throws must not stop the
                // worker either (the next replica would meet the same message): back off and try again.
                WorkerLog.ReceiveFailed(logger, ex);
                messages = [];
            }

            if (messages.Count == 0)
            {
                if (!await DelayAsync(idle, stoppingToken).ConfigureAwait(false))
                {
                    break;
                }

                idle = TimeSpan.FromTicks(Math.Min(idle.Ticks * 2, _options.MaxIdleDelay.Ticks));
                continue;
            }

            idle = MinIdleDelay;
            await RunBatchAsync(messages).ConfigureAwait(false);
        }

        WorkerLog.Stopped(logger);
    }

    private async Task RunBatchAsync(IReadOnlyList<QueueMessage> messages)
    {
        var leases = messages.Select(m => new MessageLease(_queue, m, _options, time, leaseLogger)).ToList();
        try
        {
            health.InFlight = leases.Count;
            await processor.ProcessAsync(leases, _inFlight.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_inFlight.IsCancellationRequested)
        {
            WorkerLog.ReleasingOnShutdown(logger, leases.Count);
            await ReleaseAsync(leases, TimeSpan.Zero).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Per-job failures are handled inside; this is settling itself failing (storage down, record gone).
            WorkerLog.BatchFailed(logger, ex);
            await ReleaseAsync(leases, _options.RetryDelay).ConfigureAwait(false);
        }
        finally
        {
            health.InFlight = 0;
            foreach (var lease in leases)
            {
                await lease.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Settled leases ignore this; the rest become visible after <paramref name="delay"/>.</summary>
    private static async Task ReleaseAsync(IEnumerable<MessageLease> leases, TimeSpan delay)
    {
        using var timeout = new CancellationTokenSource(ReleaseTimeout);
        foreach (var lease in leases)
        {
            try
            {
                await lease.ReleaseAsync(delay, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is RequestFailedException or OperationCanceledException)
            {
                // Its visibility timeout still brings it back, only later.
            }
        }
    }

    private async Task<bool> DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
