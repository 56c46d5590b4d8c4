using EchoPipeline.Jobs.Outbound;
using EchoPipeline.Worker.Processing;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace EchoPipeline.Worker.Webhooks;

/// <summary>
/// Registration of webhook delivery: options checked at start-up (secrets included), the <c>webhooks</c> HttpClient,
/// the outbox and its dispatcher. Needs the storage services (<c>AddEchoStorage</c>).
/// </summary>
public static class WebhookServiceCollectionExtensions
{
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton(TimeProvider.System);
        // Reflection-based validation on purpose: the [OptionsValidator] generator drops [Range]'s ErrorMessage
        // (dotnet/runtime#123137), and the worker is not trimmed.
        services.AddOptions<WebhookOptions>().Bind(configuration.GetSection(WebhookOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();

        // The primary handler's connect callback refuses private addresses on every connection; no redirects (a
        // receiver's 3xx is its answer), no proxy. Each attempt has its own timeout (WebhookSender), so the client has none.
        services.AddHttpClient(WebhookSender.ClientName)
            .ConfigureHttpClient(http => http.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp =>
                GuardedConnector.CreateHandler(sp.GetRequiredService<IOptions<WebhookOptions>>().Value.AllowPrivateTargets, allowAutoRedirect: false));

        services.TryAddSingleton<JobRecordWriter>();
        services.AddSingleton<WebhookSecrets>();
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<WebhookOutbox>();
        services.AddSingleton<WebhookDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookDispatcher>());
        return services;
    }
}
