using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;

namespace EchoPipeline.Worker.Webhooks;

/// <summary>
/// Stamps and signs each attempt as it goes out. It sits inside the retry handler so that a retry carries its own
/// <c>webhook-timestamp</c> (receivers reject old ones) over the same <c>webhook-id</c> and body; it also counts the
/// attempts, which the job record reports.
/// </summary>
internal sealed class WebhookSigningHandler(IOptions<WebhookOptions> options, TimeProvider time) : DelegatingHandler
{
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";

    /// <summary>Set by the sender on its request; incremented here once per attempt.</summary>
    public static readonly HttpRequestOptionsKey<StrongBox<int>> Attempts = new("EchoPipeline.Webhooks.Attempts");

    private readonly WebhookSigner? _signer = string.IsNullOrEmpty(options.Value.Secret) ? null : new WebhookSigner(options.Value.Secret);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var signer = _signer ?? throw new InvalidOperationException(WebhookSender.MissingSecretMessage);
        if (request.Options.TryGetValue(Attempts, out var attempts))
        {
            attempts.Value++;
        }

        var messageId = request.Headers.GetValues(IdHeader).Single();
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        request.Headers.Remove(TimestampHeader);
        request.Headers.Remove(SignatureHeader);
        request.Headers.Add(TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(SignatureHeader, signer.Sign(messageId, timestamp, body));
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
