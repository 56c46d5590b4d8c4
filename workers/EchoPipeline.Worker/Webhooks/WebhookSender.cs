using System.Globalization;
using EchoPipeline.Jobs.Outbound;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace EchoPipeline.Worker.Webhooks;

/// <summary>
/// One attempt at a webhook: a POST of the body, stamped and signed per Standard Webhooks with the target's secret.
/// Retrying is the dispatcher's business (the schedule lives in the outbox, so it outlasts this process). The client's
/// primary handler refuses private addresses at connect time (<see cref="GuardedConnector"/>); only the status line and
/// headers of the answer are read, never its body.
/// </summary>
internal sealed class WebhookSender(IHttpClientFactory clients, WebhookSecrets secrets, IOptions<WebhookOptions> options, TimeProvider time)
{
    internal const string ClientName = "webhooks";
    internal const string IdHeader = "webhook-id";
    internal const string TimestampHeader = "webhook-timestamp";
    internal const string SignatureHeader = "webhook-signature";

    private readonly WebhookOptions _options = options.Value;

    /// <param name="webhookId">The same on every attempt, so that the receiver can tell a retry from a new event.</param>
    public async Task<WebhookAttempt> SendAsync(Uri target, string webhookId, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (!(target.Scheme == Uri.UriSchemeHttps || (target.Scheme == Uri.UriSchemeHttp && _options.AllowHttp)))
        {
            return new WebhookAttempt(WebhookAttemptOutcome.Refused, Sent: false,
                Error: $"{target.Scheme}:// callback targets are not allowed; use https (or set Webhooks:AllowHttp).");
        }

        if (secrets.For(target) is not { } signer)
        {
            return new WebhookAttempt(WebhookAttemptOutcome.Failed, Sent: false,
                Error: $"No webhook secret applies to {target.IdnHost} (Webhooks:Secret, Webhooks:Subscriptions), so the webhook cannot be signed.");
        }

        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = new ReadOnlyMemoryContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add(IdHeader, webhookId);
        request.Headers.Add(TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(SignatureHeader, signer.Sign(webhookId, timestamp, body.Span));

        try
        {
            // Headers only: the body stays unread, and the handler drains at most a few KB of it when the response goes.
            // The client's resilience handler bounds the attempt by Webhooks:AttemptTimeout.
            using var response = await clients.CreateClient(ClientName)
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                return new WebhookAttempt(WebhookAttemptOutcome.Delivered, Sent: true, status);
            }

            var error = $"The receiver answered {status} {response.ReasonPhrase}.";
            return status is 408 or 429 or >= 500
                ? new WebhookAttempt(WebhookAttemptOutcome.Retry, Sent: true, status, error, RetryAfter(response))
                : new WebhookAttempt(WebhookAttemptOutcome.Failed, Sent: true, status, error);
        }
        catch (HttpRequestException ex) when (GuardedConnector.FindRefusal(ex) is { } refusal)
        {
            return new WebhookAttempt(WebhookAttemptOutcome.Refused, Sent: true, Error: refusal.Message);
        }
        catch (HttpRequestException ex)
        {
            return new WebhookAttempt(WebhookAttemptOutcome.Retry, Sent: true, Error: ex.Message);
        }
        catch (TimeoutRejectedException) when (!cancellationToken.IsCancellationRequested)
        {
            return new WebhookAttempt(WebhookAttemptOutcome.Retry, Sent: true,
                Error: $"The receiver did not answer within {_options.AttemptTimeout} (Webhooks:AttemptTimeout).");
        }
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - time.GetUtcNow(),
        _ => null,
    };

    internal static bool IsRefusal(Exception exception) => GuardedConnector.FindRefusal(exception) is not null;
}
