namespace EchoPipeline.Worker.Webhooks;

/// <summary>What one POST of a webhook came to; the dispatcher decides from it whether to try again.</summary>
/// <param name="Sent">Whether a request went out (or a connection was tried): counted as an attempt.</param>
/// <param name="StatusCode">The receiver's answer, when there was one.</param>
/// <param name="RetryAfter">The receiver's Retry-After, when it sent one with a retryable status.</param>
internal sealed record WebhookAttempt(WebhookAttemptOutcome Outcome, bool Sent, int? StatusCode = null, string? Error = null, TimeSpan? RetryAfter = null);

internal enum WebhookAttemptOutcome
{
    /// <summary>2xx.</summary>
    Delivered,

    /// <summary>408, 429, 5xx, no connection, no answer in time: worth another attempt later.</summary>
    Retry,

    /// <summary>Any other answer, or nothing to sign with: another attempt would fare the same.</summary>
    Failed,

    /// <summary>The target is not allowed (private address, http without Webhooks:AllowHttp).</summary>
    Refused,
}

/// <summary>The values of <see cref="Jobs.CallbackDelivery.Status"/>.</summary>
internal static class CallbackStatus
{
    /// <summary>In the outbox: written with the job's final record, replaced by the outcome.</summary>
    public const string Pending = "pending";

    public const string Delivered = "delivered";

    public const string Failed = "failed";

    public const string Refused = "refused";
}
