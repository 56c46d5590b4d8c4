using EchoPipeline.Worker.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace EchoPipeline.Worker.Tests.Support;

/// <summary>The worker app started in this process the way Program.cs starts it, against the fixture's Azurite.</summary>
public sealed class WorkerHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WorkerHost(WebApplication app) => _app = app;

    public IServiceProvider Services => _app.Services;

    public Uri Address => new(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal));

    /// <summary>Settings every test uses (tiny bundle, fast polling), overridable.</summary>
    public static Dictionary<string, string?> Settings(WorkerFixture fixture, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["EchoStorage"] = fixture.Azurite.ConnectionString,
            ["Worker:BundlePath"] = WorkerFixture.TinyBundle,
            ["Worker:HealthPort"] = "0",
            ["Worker:BatchSize"] = "4",
            ["Worker:BatchWaitMs"] = "100",
            ["Worker:VisibilityTimeout"] = "00:00:30",
            ["Worker:RetryDelay"] = "00:00:00",
            ["Worker:MaxIdleDelay"] = "00:00:00.200",
            ["Webhooks:AllowPrivateTargets"] = "true",
            ["Webhooks:AllowHttp"] = "true",
            ["Webhooks:Secret"] = TestSecret,
            ["Webhooks:InitialDelay"] = "00:00:00.050",
            ["Webhooks:MaxDelay"] = "00:00:01",
            ["Webhooks:PollInterval"] = "00:00:00.250",
            ["Webhooks:LeaseDuration"] = "00:00:15",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>"whsec_" + Base64 of 32 fixed bytes.</summary>
    public static string TestSecret { get; } = "whsec_" + Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    public static async Task<WorkerHost> StartAsync(WorkerFixture fixture, IReadOnlyDictionary<string, string?>? overrides = null, LogCapture? logs = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(Settings(fixture, overrides));
        builder.Logging.ClearProviders();
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
        }

        builder.AddEchoWorker();
        var app = builder.Build();
        app.MapEchoWorkerHealth();
        try
        {
            await app.StartAsync();
        }
        catch
        {
            // Start-up validation failed: nothing runs, but the built app still holds its services.
            await app.DisposeAsync();
            throw;
        }

        return new WorkerHost(app);
    }

    /// <summary>What SIGTERM does: the host stops, with its configured shutdown timeout as the grace period.</summary>
    public Task StopAsync() => _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
