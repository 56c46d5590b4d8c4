using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Threading.Channels;
using EchoPipeline.Jobs;
using EchoPipeline.Jobs.Outbound;
using EchoPipeline.Jobs.Storage;
using EchoPipeline.Worker.Processing;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace EchoPipeline.Worker.Webhooks;

/// <summary>
/// Delivers final job records to their callback URLs in the background, so a slow or dead receiver never holds up the
/// queue: the processor only writes to a channel. Each delivery is retried with exponential backoff and jitter; the
/// outcome is written to the record's <see cref="JobRecord.Callback"/>.
/// </summary>
public sealed class WebhookDispatcher : BackgroundService
{
    private readonly Channel<JobRecord> _pending = Channel.CreateUnbounded<JobRecord>(new UnboundedChannelOptions { SingleReader = true });
    private readonly WebhookOptions _options;
    private readonly JobStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger<WebhookDispatcher> _logger;
    private readonly HttpClient _http;
    private readonly ResiliencePipeline<HttpResponseMessage> _retry;

    public WebhookDispatcher(IOptions<WebhookOptions> options, JobStore store, TimeProvider time, ILogger<WebhookDispatcher> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _store = store;
        _time = time;
        _logger = logger;
        _http = new HttpClient(GuardedConnector.CreateHandler(_options.AllowPrivateTargets, allowAutoRedirect: false)) { Timeout = _options.AttemptTimeout };
        _retry = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = Math.Max(1, _options.MaxRetries),
                Delay = _options.InitialDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>(ex => FindRefusal(ex) is null)
                    .Handle<TaskCanceledException>()
                    .HandleResult(r => IsTransient(r.StatusCode)),
            })
            .Build();
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

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var record in _pending.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
        {
            var outcome = await DeliverAsync(record, stoppingToken).ConfigureAwait(false);
            await RecordAsync(record.Id, outcome, stoppingToken).ConfigureAwait(false);
        }
    }

    internal async Task<CallbackDelivery> DeliverAsync(JobRecord record, CancellationToken cancellationToken)
    {
        var url = record.Parameters.CallbackUrl!;
        if (string.IsNullOrEmpty(_options.Secret))
        {
            return new CallbackDelivery("failed", 0, _time.GetUtcNow(), Error: "Webhooks:Secret is not configured, so the webhook cannot be signed.");
        }

        var signer = new WebhookSigner(_options.Secret);
        var body = JsonSerializer.SerializeToUtf8Bytes(record, JobJsonContext.Default.JobRecord);
        var messageId = $"msg_{record.Id}_{record.Status.ToString().ToLowerInvariant()}";
        var attempts = 0;
        try
        {
            using var response = await _retry.ExecuteAsync(async token =>
            {
                attempts++;
                var timestamp = _time.GetUtcNow().ToUnixTimeSeconds();
                using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new("application/json");
                request.Headers.Add("webhook-id", messageId);
                request.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
                request.Headers.Add("webhook-signature", signer.Sign(messageId, timestamp, body));
                return await _http.SendAsync(request, token).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
            var delivered = response.IsSuccessStatusCode;
            WorkerLog.WebhookSent(_logger, record.Id.Value, (int)response.StatusCode, attempts);
            return new CallbackDelivery(delivered ? "delivered" : "failed", attempts, _time.GetUtcNow(), (int)response.StatusCode,
                delivered ? null : $"The receiver answered {(int)response.StatusCode} {response.ReasonPhrase}.");
        }
        catch (HttpRequestException ex) when (FindRefusal(ex) is { } refusal)
        {
            WorkerLog.WebhookRefused(_logger, record.Id.Value, refusal.Message);
            return new CallbackDelivery("refused", attempts, _time.GetUtcNow(), Error: refusal.Message);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            WorkerLog.WebhookFailed(_logger, record.Id.Value, attempts, ex);
            return new CallbackDelivery("failed", attempts, _time.GetUtcNow(), Error: ex.Message);
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

    private static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

    private static PrivateAddressException? FindRefusal(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is PrivateAddressException refused)
            {
                return refused;
            }
        }

        return null;
    }
}
