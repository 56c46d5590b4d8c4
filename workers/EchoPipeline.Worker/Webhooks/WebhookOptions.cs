namespace EchoPipeline.Worker.Webhooks;

/// <summary>The <c>Webhooks</c> section: signing secret, target policy and retries.</summary>
public sealed class WebhookOptions
{
    public const string SectionName = "Webhooks";

    /// <summary>Standard Webhooks secret, "whsec_" + Base64 of the key. Without it no webhook is sent (recorded as failed).</summary>
    public string? Secret { get; set; }

    /// <summary>Allow callback targets on loopback, private and link-local addresses (tests, private networks).</summary>
    public bool AllowPrivateTargets { get; set; }

    /// <summary>Retries after the first attempt.</summary>
    public int MaxRetries { get; set; } = 6;

    /// <summary>First retry delay; doubles each retry, with jitter.</summary>
    public TimeSpan InitialDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Per attempt.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(15);
}
