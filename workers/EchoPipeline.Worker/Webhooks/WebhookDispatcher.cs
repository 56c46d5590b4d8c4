using System.Threading.Channels;
using EchoPipeline.Jobs;
using EchoPipeline.Jobs.Storage;
using EchoPipeline.Worker.Processing;

namespace EchoPipeline.Worker.Webhooks;

/// <summary>
/// Delivers final job records to their callback URLs in the background, so a slow or dead receiver never holds up the
/// queue: the processor only writes to a channel. The outcome is written to the record's <see cref="JobRecord.Callback"/>.
/// </summary>
public sealed class WebhookDispatcher : BackgroundService
{
    private readonly Channel<JobRecord> _pending = Channel.CreateUnbounded<JobRecord>(new UnboundedChannelOptions { SingleReader = true });
    private readonly WebhookSender _sender;
    private readonly JobStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger<WebhookDispatcher> _logger;

    public WebhookDispatcher(WebhookSender sender, JobStore store, TimeProvider time, ILogger<WebhookDispatcher> logger)
    {
        _sender = sender;
        _store = store;
        _time = time;
        _logger = logger;
    }

    /// <summary>Queues the record for its callback, if it has one. Never blocks.</summary>
    public void Enqueue(JobRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Parameters.CallbackUrl is not null)
        {
            _pending.Writer.TryWrite(record);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var record in _pending.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
        {
            var outcome = await _sender.SendAsync(record, stoppingToken).ConfigureAwait(false);
            await RecordAsync(record.Id, outcome, stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task RecordAsync(JobId id, CallbackDelivery outcome, CancellationToken cancellationToken)
    {
        try
        {
            var stored = await _store.GetAsync(id, cancellationToken).ConfigureAwait(false);
            if (stored is not null)
            {
                await new JobRecordWriter(_store, _time).UpdateAsync(stored, r => r with { Callback = outcome }, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Azure.RequestFailedException ex)
        {
            WorkerLog.WebhookNotRecorded(_logger, id.Value, ex);
        }
    }
}
