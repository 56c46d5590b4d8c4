using System.Runtime.CompilerServices;
using System.Text.Json;
using EchoPipeline.Jobs;
using EchoPipeline.Jobs.Outbound;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace EchoPipeline.Worker.Webhooks;

/// <summary>
/// POSTs a final job record to its callback URL and reports how it went. The HTTP client's handler chain
/// (<see cref="WebhookServiceCollectionExtensions.AddWebhooks"/>) does the retries, timeouts, per-attempt signing and
/// the private-address guard.
/// </summary>
public sealed class WebhookSender(IHttpClientFactory clients, IOptions<WebhookOptions> options, TimeProvider time, ILogger<WebhookSender> logger)
{
    internal const string ClientName = "webhooks";
    internal const string MissingSecretMessage = "Webhooks:Secret is not configured, so the webhook cannot be signed.";

    public async Task<CallbackDelivery> SendAsync(JobRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var url = record.Parameters.CallbackUrl ?? throw new ArgumentException("The job has no callback URL.", nameof(record));
        if (string.IsNullOrEmpty(options.Value.Secret))
        {
            return new CallbackDelivery("failed", 0, time.GetUtcNow(), Error: MissingSecretMessage);
        }

        var attempts = new StrongBox<int>();
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(record, JobJsonContext.Default.JobRecord)),
        };
        request.Content.Headers.ContentType = new("application/json");
        // The same on every attempt, so that the receiver can tell a retry from a new event.
        request.Headers.Add(WebhookSigningHandler.IdHeader, $"msg_{record.Id}_{record.Status.ToString().ToLowerInvariant()}");
        request.Options.Set(WebhookSigningHandler.Attempts, attempts);
        try
        {
            // Only the status matters; the receiver's body is never read.
            using var response = await clients.CreateClient(ClientName)
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            WorkerLog.WebhookSent(logger, record.Id.Value, status, attempts.Value);
            return response.IsSuccessStatusCode
                ? new CallbackDelivery("delivered", attempts.Value, time.GetUtcNow(), status)
                : new CallbackDelivery("failed", attempts.Value, time.GetUtcNow(), status, $"The receiver answered {status} {response.ReasonPhrase}.");
        }
        catch (HttpRequestException ex) when (FindRefusal(ex) is { } refusal)
        {
            WorkerLog.WebhookRefused(logger, record.Id.Value, refusal.Message);
            return new CallbackDelivery("refused", attempts.Value, time.GetUtcNow(), Error: refusal.Message);
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException && !cancellationToken.IsCancellationRequested)
        {
            WorkerLog.WebhookFailed(logger, record.Id.Value, attempts.Value, ex);
            return new CallbackDelivery("failed", attempts.Value, time.GetUtcNow(), Error: ex.Message);
        }
    }

    /// <summary>The guard's refusal, which SocketsHttpHandler wraps in an HttpRequestException.</summary>
    internal static PrivateAddressException? FindRefusal(Exception? exception)
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
