using EchoPipeline.Jobs.Storage;
using EchoPipeline.Worker.Webhooks;

namespace EchoPipeline.Worker.Tests.Support;

/// <summary>
/// A host with only storage and webhook delivery, the way the worker registers them, against the fixture's Azurite:
/// the webhook dispatcher without the engine, so that outbox tests start in a moment. Settings as <see cref="WorkerHost.Settings"/>.
/// </summary>
public sealed class DispatcherHost : IAsyncDisposable
{
    private readonly IHost _host;

    private DispatcherHost(IHost host) => _host = host;

    internal WebhookDispatcher Dispatcher => _host.Services.GetRequiredService<WebhookDispatcher>();

    public static async Task<DispatcherHost> StartAsync(WorkerFixture fixture, IReadOnlyDictionary<string, string?>? overrides = null, LogCapture? logs = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(WorkerHost.Settings(fixture, overrides));
        builder.Logging.ClearProviders();
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
        }

        // Short, so that a test's end does not wait long for an attempt a receiver holds.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        builder.Services.AddEchoStorage(builder.Configuration);
        builder.Services.AddWebhooks(builder.Configuration);
        var host = builder.Build();
        try
        {
            await host.StartAsync();
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return new DispatcherHost(host);
    }

    /// <summary>What SIGTERM does: stop claiming, let attempts in flight finish within the shutdown timeout.</summary>
    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
