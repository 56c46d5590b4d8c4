using Microsoft.Extensions.Options;

namespace EchoPipeline.Worker.Webhooks;

/// <summary>
/// The signing key for a callback URL: the subscription for its host, else the default <c>Webhooks:Secret</c>. Built
/// once from the options checked at start-up; the secrets stay here (never in records, outbox entries or logs).
/// </summary>
internal sealed class WebhookSecrets
{
    private readonly WebhookSigner? _default;
    private readonly Dictionary<string, WebhookSigner> _byHost = new(StringComparer.OrdinalIgnoreCase);

    public WebhookSecrets(IOptions<WebhookOptions> options)
    {
        var settings = options.Value;
        _default = string.IsNullOrEmpty(settings.Secret) ? null : new WebhookSigner(settings.Secret);
        foreach (var subscription in settings.Subscriptions)
        {
            _byHost[WebhookSubscription.NormalizeHost(subscription.Host)!] = new WebhookSigner(subscription.Secret!);
        }
    }

    /// <summary>Null when no secret applies: the webhook is then not sent at all, rather than sent unsigned.</summary>
    public WebhookSigner? For(Uri target) => _byHost.GetValueOrDefault(target.IdnHost) ?? _default;
}
