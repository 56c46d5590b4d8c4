using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using EchoPipeline.Jobs;
using EchoPipeline.Jobs.Batches;
using EchoPipeline.Jobs.Storage;
using EchoPipeline.Worker.Processing;
using Microsoft.Extensions.Options;

namespace EchoPipeline.Worker.Webhooks;

/// <summary>
/// Delivers the webhook outbox in the background. The processor writes a job's final record with its callback
/// <c>pending</c>, then the outbox entry (<see cref="AddAsync"/>), and only then deletes the queue message, so a crash
/// at any point leaves either the message (which comes back and adds the entry again) or the entry. Entries are
/// claimed with a blob lease, so this replica's, a restarted one's and those of replicas that died are all picked up
/// and never delivered by two at once. Up to <see cref="WebhookOptions.MaxConcurrentDeliveries"/> run at once; each
/// entry keeps its own retry schedule in the outbox and a failing target holds up only its own entries
/// (<see cref="TargetBackoff"/>). The outcome goes on the job record (<see cref="JobRecord.Callback"/>), then the entry
/// is removed; a crash between the two costs a repeat with the same webhook-id at worst (at-least-once).
/// </summary>
internal sealed class WebhookDispatcher : BackgroundService
{
    private readonly WebhookOutbox _outbox;
    private readonly WebhookSender _sender;
    private readonly JobStore _store;
    private readonly JobRecordWriter _records;
    private readonly BatchStore _batches;
    private readonly BatchCompletion _completion;
    private readonly StorageProvisioner _provisioner;
    private readonly WebhookOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<WebhookDispatcher> _logger;
    private readonly TargetBackoff _targets = new();
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrentDictionary<string, byte> _inFlight = new(StringComparer.Ordinal);
    private readonly List<Task> _deliveries = [];
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Cancelled when the host's shutdown timeout runs out: attempts in flight stop and their entries stay due.</summary>
    private readonly CancellationTokenSource _graceOver = new();

    /// <summary>UTC ticks of the next listing of the outbox; lowered by new entries and retries that come due sooner.</summary>
    private long _nextPass = long.MaxValue;

    public WebhookDispatcher(
        WebhookOutbox outbox,
        WebhookSender sender,
        JobStore store,
        JobRecordWriter records,
        BatchStore batches,
        BatchCompletion completion,
        StorageProvisioner provisioner,
        IOptions<WebhookOptions> options,
        TimeProvider time,
        ILogger<WebhookDispatcher> logger)
    {
        _outbox = outbox;
        _sender = sender;
        _store = store;
        _records = records;
        _batches = batches;
        _completion = completion;
        _provisioner = provisioner;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _slots = new SemaphoreSlim(_options.MaxConcurrentDeliveries);
    }

    /// <summary>
    /// The final record with its callback marked pending, when it has a callback URL and no callback state yet (a
    /// record finished twice keeps the outcome it has): write it so, then <see cref="AddAsync"/>.
    /// </summary>
    public static JobRecord WithPendingCallback(JobRecord record, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.Parameters.CallbackUrl is null || record.Callback is not null
            ? record
            : record with { Callback = new CallbackDelivery(CallbackStatus.Pending, 0, now) };
    }

    /// <summary>
    /// Puts the webhook of a final record whose callback is pending into the outbox (nothing otherwise). The caller
    /// deletes the job's queue message only after this returned.
    /// </summary>
    public async Task AddAsync(JobRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Callback?.Status == CallbackStatus.Pending && record.Parameters.CallbackUrl is not null)
        {
            await _outbox.AddAsync(record, cancellationToken).ConfigureAwait(false);
            PassNoLaterThan(_time.GetUtcNow());
        }

        if (record.Status is JobStatus.Succeeded or JobStatus.Failed)
        {
            // The batches this job completes (BatchCompletion): their webhooks join the outbox before the job's message
            // is deleted, so a crash in between is mended by the message's redelivery, as for the job's own webhook.
            foreach (var batch in await _completion.JobFinishedAsync(record.Id, cancellationToken).ConfigureAwait(false))
            {
                if (batch.Callback?.Status == CallbackStatus.Pending && batch.CallbackUrl is not null)
                {
                    await _outbox.AddAsync(batch, cancellationToken).ConfigureAwait(false);
                    PassNoLaterThan(_time.GetUtcNow());
                }
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Stopping ends the claiming of entries; attempts in flight may finish until the host's shutdown timeout.
        using var graceOver = cancellationToken.Register(_graceOver.Cancel);
        await base.StopAsync(CancellationToken.None).ConfigureAwait(false);
    }

    public override void Dispose()
    {
        _graceOver.Dispose();
        _slots.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        try
        {
            await _provisioner.EnsureAsync(stoppingToken).ConfigureAwait(false);
            while (!stoppingToken.IsCancellationRequested)
            {
                Interlocked.Exchange(ref _nextPass, (_time.GetUtcNow() + _options.PollInterval).UtcTicks);
                _deliveries.RemoveAll(d => d.IsCompleted);
                try
                {
                    await StartDueDeliveriesAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    WorkerLog.OutboxListFailed(_logger, ex);
                }

                await WaitForNextPassAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            await Task.WhenAll(_deliveries).ConfigureAwait(false);
        }
    }

    private async Task StartDueDeliveriesAsync(CancellationToken stoppingToken)
    {
        await foreach (var entry in _outbox.ListAsync(stoppingToken).ConfigureAwait(false))
        {
            var now = _time.GetUtcNow();
            if (entry.Leased || _inFlight.ContainsKey(entry.Name))
            {
                continue;
            }

            if (entry.Schedule.Due > now)
            {
                PassNoLaterThan(entry.Schedule.Due, wake: false);
                continue;
            }

            if (_targets.IsHeld(entry.Schedule.Origin, now, out var heldUntil))
            {
                // While a probe is in flight there is no time to note: it asks for a pass when the target answers or
                // fails again, and the regular pass comes otherwise.
                if (heldUntil is { } until)
                {
                    PassNoLaterThan(until, wake: false);
                }

                continue;
            }

            await _slots.WaitAsync(stoppingToken).ConfigureAwait(false);
            _targets.Begin(entry.Schedule.Origin);
            _inFlight[entry.Name] = 0;
            _deliveries.Add(Task.Run(() => DeliverAsync(entry), CancellationToken.None));
        }
    }

    private async Task DeliverAsync(OutboxEntry entry)
    {
        var cancellationToken = _graceOver.Token;
        var verdict = TargetVerdict.NotTried;
        try
        {
            await using var claim = await _outbox.TryClaimAsync(entry.Name, _options.LeaseDuration, cancellationToken).ConfigureAwait(false);
            if (claim is not null && claim.Schedule.Due <= _time.GetUtcNow())
            {
                verdict = await DeliverClaimedAsync(claim, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutdown grace over: the entry stays, already rescheduled, and is taken up again.
        }
        catch (Exception ex)
        {
            // Storage failing, most likely: the entry stays and comes back once its lease lapses.
            WorkerLog.WebhookInterrupted(_logger, entry.Name, ex);
        }
        finally
        {
            var recovered = _targets.End(entry.Schedule.Origin, verdict.Answered, verdict.FailedUntil);
            _inFlight.TryRemove(entry.Name, out _);
            _slots.Release();
            if (verdict.RetryAt is { } retryAt)
            {
                PassNoLaterThan(retryAt);
            }

            if (recovered)
            {
                // The target's entries that waited on it may go now.
                PassNoLaterThan(_time.GetUtcNow());
            }
        }
    }

    private async Task<TargetVerdict> DeliverClaimedAsync(OutboxClaim claim, CancellationToken cancellationToken)
    {
        var subject = await ReadSubjectAsync(claim, cancellationToken).ConfigureAwait(false);
        if (subject is null)
        {
            WorkerLog.WebhookUnreadable(_logger, claim.WebhookId);
            await claim.RemoveAsync(cancellationToken).ConfigureAwait(false);
            return TargetVerdict.NotTried;
        }

        var target = subject.Target;
        if (subject.CallbackStatus != CallbackStatus.Pending)
        {
            // Delivered (or settled) before a crash kept the entry from being removed, or the job is gone.
            WorkerLog.WebhookAlreadySettled(_logger, claim.WebhookId, subject.Id, subject.CallbackStatus ?? "gone");
            await claim.RemoveAsync(cancellationToken).ConfigureAwait(false);
            return TargetVerdict.NotTried;
        }

        // Counted and rescheduled before the POST: a replica that dies during it leaves the entry due again, not lost,
        // and a receiver that crashes replicas still runs out of retries.
        var attempts = claim.Schedule.Attempts + 1;
        var retryAt = _time.GetUtcNow() + RetryDelay(attempts, _options);
        await claim.RescheduleAsync(claim.Schedule with { Attempts = attempts, Due = retryAt }, cancellationToken).ConfigureAwait(false);

        using var attemptToken = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, claim.Lost);
        WebhookAttempt attempt;
        try
        {
            attempt = await _sender.SendAsync(target, claim.WebhookId, claim.Body.ToMemory(), attemptToken.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (claim.Lost.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            WorkerLog.WebhookLeaseLost(_logger, claim.WebhookId);
            return TargetVerdict.NotTried;
        }

        var now = _time.GetUtcNow();
        var verdict = attempt.StatusCode is not null && attempt.Outcome != WebhookAttemptOutcome.Retry ? TargetVerdict.Answer : TargetVerdict.NotTried;
        if (attempt.Outcome == WebhookAttemptOutcome.Retry)
        {
            if (attempt.RetryAfter is { } asked)
            {
                retryAt = now + TimeSpan.FromTicks(Math.Clamp(asked.Ticks, 0, _options.MaxDelay.Ticks));
            }

            if (attempts <= _options.MaxRetries && retryAt <= claim.Schedule.Added + _options.TotalTimeout)
            {
                if (attempt.RetryAfter is not null)
                {
                    await claim.RescheduleAsync(claim.Schedule with { Due = retryAt }, cancellationToken).ConfigureAwait(false);
                }

                WorkerLog.WebhookRetrying(_logger, claim.WebhookId, subject.Id, attempts, attempt.Error ?? "", retryAt);
                return new TargetVerdict(false, retryAt, retryAt);
            }

            verdict = new TargetVerdict(false, retryAt, null);
            attempt = attempt with
            {
                Outcome = WebhookAttemptOutcome.Failed,
                Error = $"{attempt.Error} Gave up after {attempts} attempt(s) (Webhooks:MaxRetries {_options.MaxRetries}, Webhooks:TotalTimeout {_options.TotalTimeout}).",
            };
        }

        var delivery = new CallbackDelivery(
            attempt.Outcome switch
            {
                WebhookAttemptOutcome.Delivered => CallbackStatus.Delivered,
                WebhookAttemptOutcome.Refused => CallbackStatus.Refused,
                _ => CallbackStatus.Failed,
            },
            attempt.Sent ? attempts : attempts - 1,
            now,
            attempt.StatusCode,
            attempt.Error);
        await subject.SettleAsync(delivery, cancellationToken).ConfigureAwait(false);
        await claim.RemoveAsync(cancellationToken).ConfigureAwait(false);
        Log(claim.WebhookId, subject.Id, delivery);
        return verdict;
    }

    /// <summary>The wait after the <paramref name="attempts"/>-th attempt: doubling from InitialDelay, ±20 % jitter, at most MaxDelay.</summary>
    internal static TimeSpan RetryDelay(int attempts, WebhookOptions options)
    {
        var exponential = options.InitialDelay.TotalMilliseconds * Math.Pow(2, attempts - 1);
        var jittered = exponential * (0.8 + (0.4 * Random.Shared.NextDouble()));
        return TimeSpan.FromMilliseconds(Math.Min(jittered, options.MaxDelay.TotalMilliseconds));
    }

    /// <summary>What the entry is about (a job, or a batch by its webhook id), where it goes and how its callback stands; null when unreadable.</summary>
    private async Task<WebhookSubject?> ReadSubjectAsync(OutboxClaim claim, CancellationToken cancellationToken)
    {
        if (claim.WebhookId.StartsWith(WebhookOutbox.BatchWebhookPrefix, StringComparison.Ordinal))
        {
            if (Read(claim.Body, BatchJsonContext.Default.BatchRecord) is not { CallbackUrl: { } batchTarget } batch)
            {
                return null;
            }

            var current = await _batches.GetAsync(batch.Id, cancellationToken).ConfigureAwait(false);
            return new WebhookSubject(batch.Id.Value, batchTarget, current?.Record.Callback?.Status, (delivery, ct) => SettleBatchAsync(batch.Id, delivery, ct));
        }

        if (Read(claim.Body, JobJsonContext.Default.JobRecord) is not { Parameters.CallbackUrl: { } target } payload)
        {
            return null;
        }

        var stored = await _store.GetAsync(payload.Id, cancellationToken).ConfigureAwait(false);
        return new WebhookSubject(payload.Id.Value, target, stored?.Record.Callback?.Status, (delivery, ct) =>
            _records.UpdateAsync(stored!, r => r.Callback?.Status == CallbackStatus.Pending ? r with { Callback = delivery } : r, ct));
    }

    /// <summary>The outcome onto the batch record, If-Match, re-read on a conflict (another finisher, a retried POST).</summary>
    private async Task SettleBatchAsync(BatchId id, CallbackDelivery delivery, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (await _batches.GetAsync(id, cancellationToken).ConfigureAwait(false) is not var (record, etag) || record.Callback?.Status != CallbackStatus.Pending)
            {
                return;
            }

            try
            {
                await _batches.UpdateAsync(record with { Callback = delivery, UpdatedAt = _time.GetUtcNow() }, etag, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Azure.RequestFailedException ex) when (ex.Status == 412 && attempt < 8)
            {
            }
        }
    }

    private static T? Read<T>(BinaryData body, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(body.ToMemory().Span, typeInfo);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A webhook's subject: its id for the logs, the target, its callback state now, and how to record the outcome.</summary>
    private sealed record WebhookSubject(string Id, Uri Target, string? CallbackStatus, Func<CallbackDelivery, CancellationToken, Task> SettleAsync);

    private void Log(string webhookId, string jobId, CallbackDelivery delivery)
    {
        switch (delivery.Status)
        {
            case CallbackStatus.Delivered:
                WorkerLog.WebhookDelivered(_logger, webhookId, jobId, delivery.StatusCode ?? 0, delivery.Attempts);
                break;
            case CallbackStatus.Refused:
                WorkerLog.WebhookRefused(_logger, webhookId, jobId, delivery.Error ?? "");
                break;
            default:
                WorkerLog.WebhookFailed(_logger, webhookId, jobId, delivery.Attempts, delivery.Error ?? "");
                break;
        }
    }

    /// <summary>Asks for a listing of the outbox at <paramref name="at"/> at the latest; <paramref name="wake"/> makes a waiting loop look again.</summary>
    private void PassNoLaterThan(DateTimeOffset at, bool wake = true)
    {
        var ticks = at.UtcTicks;
        for (var current = Interlocked.Read(ref _nextPass); ticks < current; current = Interlocked.Read(ref _nextPass))
        {
            if (Interlocked.CompareExchange(ref _nextPass, ticks, current) == current)
            {
                break;
            }
        }

        if (wake)
        {
            _wake.Writer.TryWrite(true);
        }
    }

    private async Task WaitForNextPassAsync(CancellationToken stoppingToken)
    {
        while (true)
        {
            var delay = new DateTimeOffset(Interlocked.Read(ref _nextPass), TimeSpan.Zero) - _time.GetUtcNow();
            if (delay <= TimeSpan.Zero)
            {
                return;
            }

            using var timeout = new CancellationTokenSource(delay, _time);
            using var either = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, timeout.Token);
            try
            {
                await _wake.Reader.ReadAsync(either.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>What an attempt says about its target (it answered, it failed until a time, or it was not tried) and when the entry is due again.</summary>
    private sealed record TargetVerdict(bool Answered, DateTimeOffset? FailedUntil, DateTimeOffset? RetryAt)
    {
        public static TargetVerdict NotTried { get; } = new(false, null, null);

        public static TargetVerdict Answer { get; } = new(true, null, null);
    }
}
