using Azure;
using Azure.Storage.Queues;
using System.Threading.Channels;
using Azure.Storage.Queues.Models;
using EchoPipeline.Jobs;
using EchoPipeline.Jobs.Storage;
using EchoPipeline.Worker.Hosting;
using EchoPipeline.Worker.Processing;
using Microsoft.Extensions.Options;

namespace EchoPipeline.Worker.Queue;

/// <summary>
/// The consume loop: load the bundle, then receive a batch, lease it, generate it, hand it to the finisher, repeat.
/// The finisher writes a batch's outputs while the loop generates the next one; a bounded channel
/// (Worker:PipelineDepth batches) holds generated batches back, so the engine never runs far ahead of the uploads.
/// On SIGTERM it stops receiving and lets the batches in flight finish until the host's shutdown timeout; then it
/// cancels them and makes their messages visible again at once, so another worker takes them over with nothing lost.
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
        var receiver = new BatchReceiver(_queue, engine.BatchSize, _options, time);
        var generated = Channel.CreateBounded<JobBatchProcessor.GeneratedBatch>(new BoundedChannelOptions(_options.PipelineDepth)
        {
            SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait,
        });
        var finisher = Task.Run(() => FinishAllAsync(generated.Reader), CancellationToken.None);
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
            await GenerateBatchAsync(messages, generated.Writer).ConfigureAwait(false);
        }

        generated.Writer.Complete();
        await finisher.ConfigureAwait(false);
        WorkerLog.Stopped(logger);
    }

    /// <summary>Generates a batch and queues it for the finisher, waiting while the channel is full.</summary>
    private async Task GenerateBatchAsync(IReadOnlyList<QueueMessage> messages, ChannelWriter<JobBatchProcessor.GeneratedBatch> finisher)
    {
        var leases = messages.Select(m => new MessageLease(_queue, m, _options, time, leaseLogger)).ToList();
        health.AddInFlight(leases.Count);
        try
        {
            var batch = await processor.GenerateAsync(leases, _inFlight.Token).ConfigureAwait(false);
            await finisher.WriteAsync(batch, _inFlight.Token).ConfigureAwait(false);
            return; // the finisher ends the leases
        }
        catch (Exception ex)
        {
            await SettleUnfinishedAsync(leases, ex).ConfigureAwait(false);
        }

        await EndAsync(leases).ConfigureAwait(false);
    }

    /// <summary>The finisher: batch after batch, its jobs' outputs and records; then its leases end.</summary>
    private async Task FinishAllAsync(ChannelReader<JobBatchProcessor.GeneratedBatch> batches)
    {
        await foreach (var batch in batches.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            try
            {
                await processor.FinishAsync(batch, _inFlight.Token).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                await SettleUnfinishedAsync(batch.Leases, ex).ConfigureAwait(false);
            }
            finally
            {
                await EndAsync(batch.Leases).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// A batch that stopped short: on shutdown its unsettled messages become visible at once; when settling itself
    /// failed (storage down, record gone; per-job failures are handled inside), after the retry delay.
    /// </summary>
    private async Task SettleUnfinishedAsync(IReadOnlyList<MessageLease> leases, Exception exception)
    {
        if (exception is OperationCanceledException && _inFlight.IsCancellationRequested)
        {
            WorkerLog.ReleasingOnShutdown(logger, leases.Count);
            await ReleaseAsync(leases, TimeSpan.Zero).ConfigureAwait(false);
        }
        else
        {
            WorkerLog.BatchFailed(logger, exception);
            await ReleaseAsync(leases, _options.RetryDelay).ConfigureAwait(false);
        }
    }

    /// <summary>Stops the leases' renewal; they no longer count as in flight.</summary>
    private async Task EndAsync(IReadOnlyList<MessageLease> leases)
    {
        foreach (var lease in leases)
        {
            await lease.DisposeAsync().ConfigureAwait(false);
        }

        health.AddInFlight(-leases.Count);
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
