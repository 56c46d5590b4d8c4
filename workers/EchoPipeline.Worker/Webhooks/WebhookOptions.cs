using System.ComponentModel.DataAnnotations;

namespace EchoPipeline.Worker.Webhooks;

/// <summary>
/// The <c>Webhooks</c> section: signing secret, target policy, retries and timeouts. Checked at start-up by data
/// annotations; the messages name the configuration keys.
/// </summary>
public sealed class WebhookOptions : IValidatableObject
{
    public const string SectionName = "Webhooks";

    /// <summary>Standard Webhooks secret, "whsec_" + Base64 of the key. Without it no webhook is sent (recorded as failed).</summary>
    [WebhookSecret]
    public string? Secret { get; set; }

    /// <summary>Allow callback targets on loopback, private and link-local addresses (tests, private networks).</summary>
    public bool AllowPrivateTargets { get; set; }

    /// <summary>Retries after the first attempt.</summary>
    [Range(1, 20, ErrorMessage = "Webhooks:MaxRetries must be between 1 and 20.")]
    public int MaxRetries { get; set; } = 6;

    /// <summary>First retry delay; doubles each retry, with jitter. A receiver's Retry-After replaces it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00", ErrorMessage = "Webhooks:InitialDelay must be between 00:00:00.001 and 00:10:00.")]
    public TimeSpan InitialDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Per attempt. The lower bound is the resilience timeout's own minimum.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00", ErrorMessage = "Webhooks:AttemptTimeout must be between 00:00:00.010 and 00:10:00.")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// All attempts and the waits between them. The default leaves room for every retry at the default delays
    /// (2 + 4 + ... + 64 s, jittered) plus a few slow attempts.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00", ErrorMessage = "Webhooks:TotalTimeout must be between 00:00:00.010 and 01:00:00.")]
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(5);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (TotalTimeout < AttemptTimeout)
        {
            yield return new ValidationResult(
                $"Webhooks:TotalTimeout ({TotalTimeout}) must not be shorter than Webhooks:AttemptTimeout ({AttemptTimeout}).",
                [nameof(TotalTimeout), nameof(AttemptTimeout)]);
        }
    }
}

/// <summary>Empty, or a secret <see cref="WebhookSigner"/> can use; a malformed one would otherwise fail only at the first delivery.</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class WebhookSecretAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        value is not string secret || secret.Length == 0 || WebhookSigner.TryDecodeKey(secret, out _)
            ? ValidationResult.Success
            : new ValidationResult(WebhookSigner.MalformedSecretMessage, [validationContext.MemberName ?? nameof(WebhookOptions.Secret)]);
}
