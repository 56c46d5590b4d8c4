using EchoPipeline.Jobs.Outbound;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace EchoPipeline.Worker.Webhooks;

/// <summary>Registration of webhook delivery: options checked at start-up, the <c>webhooks</c> HttpClient, the sender and the dispatcher.</summary>
public static class WebhookServiceCollectionExtensions
{
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton(TimeProvider.System);
        // Reflection-based validation on purpose: the [OptionsValidator] generator drops [Range]'s ErrorMessage
        // (dotnet/runtime#123137), and the worker is not trimmed.
        services.AddOptions<WebhookOptions>().Bind(configuration.GetSection(WebhookOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();

        // Handlers run outermost first: resilience (total timeout > retry > attempt timeout), then signing per
        // attempt, then the primary handler, whose connect callback refuses private addresses on every connection.
        services.AddTransient<WebhookSigningHandler>();
        var webhooksClient = services.AddHttpClient(WebhookSender.ClientName)
            .ConfigureHttpClient(http => http.Timeout = Timeout.InfiniteTimeSpan) // the pipeline's timeouts govern
            .ConfigurePrimaryHttpMessageHandler(sp =>
                GuardedConnector.CreateHandler(sp.GetRequiredService<IOptions<WebhookOptions>>().Value.AllowPrivateTargets, allowAutoRedirect: false));
        webhooksClient.AddResilienceHandler("delivery", static (pipeline, context) =>
        {
            var options = context.ServiceProvider.GetRequiredService<IOptions<WebhookOptions>>().Value;
            pipeline
                .AddTimeout(options.TotalTimeout)
                .AddRetry(new HttpRetryStrategyOptions
                {
                    // Exponential with jitter, and a receiver's Retry-After wins (the options' defaults, pinned here).
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    ShouldRetryAfterHeader = true,
                    MaxRetryAttempts = options.MaxRetries,
                    Delay = options.InitialDelay,
                    // 5xx, 408, 429, network errors and attempt timeouts; a refused target stays refused.
                    ShouldHandle = args => ValueTask.FromResult(
                        WebhookSender.FindRefusal(args.Outcome.Exception) is null
                        && HttpClientResiliencePredicates.IsTransient(args.Outcome)),
                })
                .AddTimeout(options.AttemptTimeout);
        });
        webhooksClient.AddHttpMessageHandler<WebhookSigningHandler>();

        services.AddSingleton<WebhookSender>();
        services.AddSingleton<WebhookDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookDispatcher>());
        return services;
    }
}
