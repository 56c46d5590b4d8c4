using EchoPipeline.Jobs.Outbound;
using EchoPipeline.Worker.Processing;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

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
        // receiver's 3xx is its answer), no proxy. The resilience handler bounds one attempt and retries a failed
        // connection a couple of times at once; longer retries are the outbox's schedule, which outlasts the process.
        services.AddHttpClient(WebhookSender.ClientName)
            .ConfigureHttpClient(http => http.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp =>
                GuardedConnector.CreateHandler(sp.GetRequiredService<IOptions<WebhookOptions>>().Value.AllowPrivateTargets, allowAutoRedirect: false))
            .AddResilienceHandler("webhook-attempt", (pipeline, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<WebhookOptions>>().Value;
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = 2,
                    Delay = TimeSpan.FromMilliseconds(200),
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    // Only a connection that failed (never an HTTP answer, never the guard's refusal): statuses are the
                    // dispatcher's to schedule, and a refused address stays refused.
                    ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is HttpRequestException e && !WebhookSender.IsRefusal(e)),
                });
                pipeline.AddTimeout(options.AttemptTimeout);
            });

        services.TryAddSingleton<JobRecordWriter>();
        services.AddSingleton<WebhookSecrets>();
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<WebhookOutbox>();
        services.AddSingleton<WebhookDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookDispatcher>());
        return services;
    }
}
