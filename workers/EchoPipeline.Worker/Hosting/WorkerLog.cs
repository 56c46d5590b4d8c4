namespace EchoPipeline.Worker;

/// <summary>The worker's structured log messages.</summary>
internal static partial class WorkerLog
{
    [LoggerMessage(1, LogLevel.Information, "Loaded model bundle {BundleId} (sha256 {BundleSha256}) on {ExecutionProvider}.")]
    public static partial void BundleLoaded(ILogger logger, string bundleId, string bundleSha256, string executionProvider);

    [LoggerMessage(43, LogLevel.Information, "Batch size {BatchSize}: {Reason}.")]
    public static partial void BatchSizeChosen(ILogger logger, int batchSize, string reason);

    [LoggerMessage(2, LogLevel.Information, "Running a batch of {Jobs} job(s) from {Messages} message(s).")]
    public static partial void BatchStarted(ILogger logger, int jobs, int messages);

    [LoggerMessage(3, LogLevel.Information, "Job {JobId} started (dequeue {DequeueCount}).")]
    public static partial void JobStarted(ILogger logger, string jobId, long dequeueCount);

    [LoggerMessage(4, LogLevel.Information, "Job {JobId} succeeded with {Variations} output(s).")]
    public static partial void JobSucceeded(ILogger logger, string jobId, int variations);

    [LoggerMessage(5, LogLevel.Warning, "Job {JobId} attempt {DequeueCount} failed: {Code}: {Message}")]
    public static partial void AttemptFailed(ILogger logger, string jobId, long dequeueCount, string code, string message, Exception exception);

    [LoggerMessage(6, LogLevel.Error, "Job {JobId} failed after {DequeueCount} dequeue(s) ({Code}); message moved to the poison queue.")]
    public static partial void JobGaveUp(ILogger logger, string jobId, long dequeueCount, string code);

    [LoggerMessage(7, LogLevel.Information, "Job {JobId} is already {Status}; message acknowledged without running it.")]
    public static partial void AlreadyFinished(ILogger logger, string jobId, string status);

    [LoggerMessage(8, LogLevel.Error, "Message {MessageId} is not a job message ({Problem}); moved to the poison queue.")]
    public static partial void MessageUnreadable(ILogger logger, string messageId, string problem);

    [LoggerMessage(9, LogLevel.Error, "Message {MessageId} names job {JobId}, which has no record; moved to the poison queue.")]
    public static partial void RecordMissing(ILogger logger, string jobId, string messageId);

    [LoggerMessage(10, LogLevel.Debug, "Renewed the lease of message {MessageId}.")]
    public static partial void LeaseRenewed(ILogger logger, string messageId);

    [LoggerMessage(11, LogLevel.Warning, "Lost the lease of message {MessageId} (status {Status}); another consumer has it.")]
    public static partial void LeaseLost(ILogger logger, string messageId, int status);

    [LoggerMessage(12, LogLevel.Warning, "Renewing the lease of message {MessageId} failed; retrying on the next tick.")]
    public static partial void LeaseRenewalFailed(ILogger logger, string messageId, Exception exception);

    [LoggerMessage(13, LogLevel.Warning, "Job {JobId}: lease lost before the record was written; leaving it to the new owner.")]
    public static partial void LeaseLostBeforeRecord(ILogger logger, string jobId);

    [LoggerMessage(14, LogLevel.Warning, "Job {JobId}: could not settle the failed attempt; the message reappears when its lease lapses.")]
    public static partial void SettleFailed(ILogger logger, string jobId, Exception exception);

    [LoggerMessage(15, LogLevel.Warning, "Receiving from the queue failed; backing off.")]
    public static partial void ReceiveFailed(ILogger logger, Exception exception);

    [LoggerMessage(16, LogLevel.Warning, "Shutdown grace period over: releasing {Count} message(s) for other workers.")]
    public static partial void ReleasingOnShutdown(ILogger logger, int count);

    [LoggerMessage(17, LogLevel.Error, "A batch failed outside any job; its unsettled messages are released.")]
    public static partial void BatchFailed(ILogger logger, Exception exception);

    [LoggerMessage(18, LogLevel.Information, "Stopped receiving.")]
    public static partial void Stopped(ILogger logger);

    [LoggerMessage(19, LogLevel.Information, "Webhook {WebhookId} for job {JobId} delivered: the receiver answered {StatusCode} on attempt {Attempts}.")]
    public static partial void WebhookDelivered(ILogger logger, string webhookId, string jobId, int statusCode, int attempts);

    [LoggerMessage(20, LogLevel.Warning, "Webhook {WebhookId} for job {JobId} refused: {Reason}")]
    public static partial void WebhookRefused(ILogger logger, string webhookId, string jobId, string reason);

    [LoggerMessage(21, LogLevel.Warning, "Webhook {WebhookId} for job {JobId} failed after {Attempts} attempt(s): {Reason}")]
    public static partial void WebhookFailed(ILogger logger, string webhookId, string jobId, int attempts, string reason);

    [LoggerMessage(22, LogLevel.Warning, "Webhook outbox entry {Entry}: delivery interrupted; it stays in the outbox and is taken up again when its lease lapses.")]
    public static partial void WebhookInterrupted(ILogger logger, string entry, Exception exception);

    [LoggerMessage(23, LogLevel.Information, "Webhook {WebhookId} for job {JobId}: attempt {Attempts} failed ({Reason}); next attempt at {RetryAt:O}.")]
    public static partial void WebhookRetrying(ILogger logger, string webhookId, string jobId, int attempts, string reason, DateTimeOffset retryAt);

    [LoggerMessage(24, LogLevel.Information, "Webhook {WebhookId}: job {JobId} already records its callback as {Status}; outbox entry removed.")]
    public static partial void WebhookAlreadySettled(ILogger logger, string webhookId, string jobId, string status);

    [LoggerMessage(25, LogLevel.Error, "Webhook outbox entry {WebhookId} holds no readable job record with a callback URL; removed.")]
    public static partial void WebhookUnreadable(ILogger logger, string webhookId);

    [LoggerMessage(26, LogLevel.Warning, "Webhook {WebhookId}: the claim on its outbox entry lapsed during the attempt; it was stopped, and another replica delivers it.")]
    public static partial void WebhookLeaseLost(ILogger logger, string webhookId);

    [LoggerMessage(27, LogLevel.Warning, "Listing the webhook outbox failed; trying again at the next pass.")]
    public static partial void OutboxListFailed(ILogger logger, Exception exception);

    [LoggerMessage(30, LogLevel.Warning, "A batch of {Count} jobs failed to generate; running each alone so only the culprit fails.")]
    public static partial void BatchIsolating(ILogger logger, int count, Exception exception);

    [LoggerMessage(31, LogLevel.Error, "Message {MessageId} names job {JobId}, whose record is unreadable ({Problem}); moved to the poison queue.")]
    public static partial void RecordUnreadable(ILogger logger, string jobId, string messageId, string problem);

    [LoggerMessage(32, LogLevel.Information, "Deleted {Count} scratch folder(s) left by worker processes that no longer run.")]
    public static partial void OrphansDeleted(ILogger logger, int count);

    [LoggerMessage(40, LogLevel.Information, "Outputs are watermarked ({Scheme}, key {KeyId}).")]
    public static partial void WatermarkOn(ILogger logger, string scheme, string keyId);

    [LoggerMessage(41, LogLevel.Warning, "Watermark key is the documented public default: set Watermark__Secret (a Key Vault secret in Azure) for marks that prove anything.")]
    public static partial void WatermarkPublicKey(ILogger logger);

    [LoggerMessage(42, LogLevel.Warning, "Outputs are NOT watermarked: turned off by the {DisabledBy} {Reason}.")]
    public static partial void WatermarkOff(ILogger logger, string disabledBy, string reason);
}
