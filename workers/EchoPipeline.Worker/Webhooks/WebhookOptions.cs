using System.ComponentModel.DataAnnotations;

namespace EchoPipeline.Worker.Webhooks;

/// <summary>
/// The <c>Webhooks</c> section: signing secrets, target policy, retry schedule, timeouts and the outbox dispatcher.
/// Checked at start-up by data annotations and <see cref="Validate"/>; the messages name the configuration keys and
/// never echo a secret.
/// </summary>
public sealed class WebhookOptions : IValidatableObject
{
    public const string SectionName = "Webhooks";

    /// <summary>
    /// Standard Webhooks secret, "whsec_" + Base64 of the key, for targets no subscription names. Without it (and
    /// without a subscription for the target's host) no webhook is sent (recorded as failed).
    /// </summary>
    [WebhookSecret]
    public string? Secret { get; set; }

    /// <summary>Receivers with their own secret, chosen by the callback URL's host (<c>Webhooks:Subscriptions:0:Host</c>, <c>...:Secret</c>).</summary>
    public IList<WebhookSubscription> Subscriptions { get; } = [];

    /// <summary>Allow callback targets on loopback, private and link-local addresses (tests, private networks).</summary>
    public bool AllowPrivateTargets { get; set; }

    /// <summary>Allow http:// callback targets; without it only https ones are sent and an http one is recorded as refused.</summary>
    public bool AllowHttp { get; set; }

    /// <summary>Retries after the first attempt.</summary>
    [Range(1, 20, ErrorMessage = "Webhooks:MaxRetries must be between 1 and 20.")]
    public int MaxRetries { get; set; } = 8;

    /// <summary>First retry delay; doubles each retry, with jitter, up to <see cref="MaxDelay"/>. A receiver's Retry-After replaces it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00", ErrorMessage = "Webhooks:InitialDelay must be between 00:00:00.001 and 00:10:00.")]
    public TimeSpan InitialDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Longest wait between two attempts of one delivery, a receiver's Retry-After included.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00", ErrorMessage = "Webhooks:MaxDelay must be between 00:00:00.001 and 1.00:00:00.")]
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Per attempt: connect, send, and the receiver's status line and headers.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00", ErrorMessage = "Webhooks:AttemptTimeout must be between 00:00:00.010 and 00:10:00.")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// From the job's end to giving up: no attempt starts later. The outbox keeps the schedule, so it spans restarts;
    /// the default outlasts the default retries (2 s doubling to the 5 min cap: about 20 min).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "7.00:00:00", ErrorMessage = "Webhooks:TotalTimeout must be between 00:00:00.010 and 7.00:00:00.")]
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Deliveries in flight at once per replica; a dead target takes at most one of them.</summary>
    [Range(1, 256, ErrorMessage = "Webhooks:MaxConcurrentDeliveries must be between 1 and 256.")]
    public int MaxConcurrentDeliveries { get; set; } = 16;

    /// <summary>How often the outbox is listed for entries other replicas left (new local entries and retries go when due).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00", ErrorMessage = "Webhooks:PollInterval must be between 00:00:00.010 and 00:10:00.")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A replica's claim on an outbox entry (a blob lease, renewed every third of it while delivering): how long the
    /// entries of a replica that died wait before another takes them. Blob leases last 15 to 60 seconds.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:15", "00:01:00", ErrorMessage = "Webhooks:LeaseDuration must be between 00:00:15 and 00:01:00.")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(1);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (TotalTimeout < AttemptTimeout)
        {
            yield return new ValidationResult(
                $"Webhooks:TotalTimeout ({TotalTimeout}) must not be shorter than Webhooks:AttemptTimeout ({AttemptTimeout}).",
                [nameof(TotalTimeout), nameof(AttemptTimeout)]);
        }

        if (MaxDelay < InitialDelay)
        {
            yield return new ValidationResult(
                $"Webhooks:MaxDelay ({MaxDelay}) must not be shorter than Webhooks:InitialDelay ({InitialDelay}).",
                [nameof(MaxDelay), nameof(InitialDelay)]);
        }

        var hosts = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < Subscriptions.Count; i++)
        {
            var key = $"Webhooks:Subscriptions:{i}";
            var host = WebhookSubscription.NormalizeHost(Subscriptions[i].Host);
            if (host is null)
            {
                yield return new ValidationResult($"{key}:Host must be a host name or IP address (no scheme, port or path).", [nameof(Subscriptions)]);
            }
            else if (!hosts.Add(host))
            {
                yield return new ValidationResult($"{key}:Host names {host}, which an earlier subscription already has.", [nameof(Subscriptions)]);
            }

            if (Subscriptions[i].Secret is not { Length: > 0 } secret || !WebhookSigner.TryDecodeKey(secret, out _))
            {
                yield return new ValidationResult(WebhookSigner.MalformedSecret($"{key}:Secret"), [nameof(Subscriptions)]);
            }
        }
    }
}

/// <summary>A receiver with its own signing secret, for callback URLs on <see cref="Host"/> (any scheme, port and path).</summary>
public sealed class WebhookSubscription
{
    public string? Host { get; set; }

    /// <summary>"whsec_" + Base64 of the key; keep it in a secret store, like <see cref="WebhookOptions.Secret"/>.</summary>
    public string? Secret { get; set; }

    /// <summary>The host as <see cref="Uri.IdnHost"/> gives it, so that configuration and callback URLs compare alike; null when it is not a bare host.</summary>
    internal static string? NormalizeHost(string? host) =>
        host is { Length: > 0 } && Uri.CheckHostName(host) != UriHostNameType.Unknown && Uri.TryCreate($"https://{host}/", UriKind.Absolute, out var uri)
            ? uri.IdnHost
            : null;
}

/// <summary>Empty, or a secret <see cref="WebhookSigner"/> can use; a malformed one would otherwise fail only at the first delivery.</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class WebhookSecretAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        value is not string secret || secret.Length == 0 || WebhookSigner.TryDecodeKey(secret, out _)
            ? ValidationResult.Success
            : new ValidationResult(WebhookSigner.MalformedSecret($"{WebhookOptions.SectionName}:{validationContext.MemberName}"), [validationContext.MemberName ?? nameof(WebhookOptions.Secret)]);
}
