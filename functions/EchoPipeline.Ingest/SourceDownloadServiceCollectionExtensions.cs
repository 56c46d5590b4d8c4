using EchoPipeline.Jobs.Outbound;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace EchoPipeline.Ingest;

public static class SourceDownloadServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="SourceDownloader"/> and its HttpClient (needs <see cref="IngestOptions"/>). The primary
    /// handler's connect callback refuses private addresses on every connection, redirects included (at most 5). A
    /// failed connection or a transient answer (5xx, 408, 429) is tried twice more, soon: a source that hiccups still
    /// becomes a job, and the download's time limit bounds the retries. A refused address is never retried.
    /// </summary>
    public static IServiceCollection AddSourceDownloader(this IServiceCollection services)
    {
        services.AddHttpClient(SourceDownloader.ClientName)
            .ConfigureHttpClient(http => http.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp =>
            {
                var handler = GuardedConnector.CreateHandler(
                    sp.GetRequiredService<IOptions<IngestOptions>>().Value.AllowPrivateNetworkSources, allowAutoRedirect: true);
                handler.MaxAutomaticRedirections = 5;
                return handler;
            })
            .AddResilienceHandler("source-download", pipeline => pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = 2,
                Delay = TimeSpan.FromMilliseconds(500),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                // A Retry-After of minutes would only run into the time limit; the source's answer is the better error.
                ShouldRetryAfterHeader = false,
                ShouldHandle = args => ValueTask.FromResult(
                    HttpClientResiliencePredicates.IsTransient(args.Outcome) && GuardedConnector.FindRefusal(args.Outcome.Exception) is null),
            }));
        services.AddSingleton<SourceDownloader>();
        return services;
    }
}
