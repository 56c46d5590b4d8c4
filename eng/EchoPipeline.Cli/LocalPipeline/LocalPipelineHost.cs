using EchoPipeline.Engine.Bundles;
using EchoPipeline.Jobs.Storage;
using EchoPipeline.LocalServices;
using Microsoft.Extensions.Options;

namespace EchoPipeline.Cli.LocalPipeline;

/// <summary>
/// The serverless pipeline on loopback: Azurite as the storage account, the ingest library in this process (what the
/// Functions app runs for each BlobCreated event; there is no Functions host or Event Grid here), N worker processes.
/// Disposing stops them in reverse order (workers get SIGTERM and a short grace period).
/// </summary>
internal sealed class LocalPipelineHost : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly List<IAsyncDisposable> _started = [];

    private LocalPipelineHost()
    {
    }

    public string ConnectionString { get; private set; } = "";

    public EchoStorage Storage { get; private set; } = null!;

    /// <summary>The ingest the uploads' BlobCreated events are handed to.</summary>
    public LocalIngest Ingest { get; private set; } = null!;

    public WorkerPool Workers { get; private set; } = null!;

    /// <summary>The id in a bundle's bundle.json: what the ingest names in job ids for the workers running it.</summary>
    /// <exception cref="LocalPipelineException">The bundle's manifest cannot be read.</exception>
    public static string BundleIdOf(string bundlePath)
    {
        try
        {
            return ManifestReader.Read(Path.Combine(bundlePath, BundleManifest.FileName)).Id;
        }
        catch (BundleLoadException e)
        {
            throw new LocalPipelineException(e.Message, ExitCodes.BadBundle);
        }
    }

    public static Task<LocalPipelineHost> StartAsync(int workers, string bundlePath, IProgress<string>? progress, CancellationToken cancellationToken) =>
        StartAsync(workers, bundlePath, workerSettings: null, progress, cancellationToken);

    /// <param name="workerSettings">Worker settings on top of <see cref="WorkerPool"/>'s defaults (chaos shortens timeouts, adds webhooks).</param>
    public static async Task<LocalPipelineHost> StartAsync(int workers, string bundlePath, IReadOnlyDictionary<string, string?>? workerSettings, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var host = new LocalPipelineHost();
        try
        {
            progress?.Report("starting Azurite");
            var azurite = await StartAzuriteAsync(cancellationToken).ConfigureAwait(false);
            host._started.Add(azurite);
            host.ConnectionString = azurite.ConnectionString;
            progress?.Report($"storage on {azurite.BlobEndpoint}");
            host.Storage = EchoStorage.Create(new EchoStorageOptions { ConnectionString = azurite.ConnectionString });
            using (var provisioner = new StorageProvisioner(host.Storage, Options.Create(new EchoStorageOptions())))
            {
                await provisioner.EnsureAsync(cancellationToken).ConfigureAwait(false);
            }

            progress?.Report($"starting the ingest and {workers} worker(s)");
            // The ingest derives job ids with the id of the bundle these workers run.
            var bundleId = BundleIdOf(bundlePath);
            host.Ingest = LocalIngest.Start(new EchoStorageOptions { ConnectionString = azurite.ConnectionString }, bundleId);
            host._started.Add(host.Ingest);
            host.Workers = WorkerPool.Start(workers, azurite.ConnectionString, bundlePath, workerSettings);
            host._started.Add(host.Workers);
            return host;
        }
        catch
        {
            await host.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Azurite from the checkout's .deps/, its start failures as one line a person can act on.</summary>
    public static async Task<AzuriteServer> StartAzuriteAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await AzuriteServer.StartAsync(AzuriteServer.InstalledPath(RepoLayout.Root), new AzuriteOptions { StartTimeout = StartTimeout }, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception e) when (e is FileNotFoundException or InvalidOperationException)
        {
            throw new LocalPipelineException(e.Message, e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = _started.Count - 1; i >= 0; i--)
        {
            await _started[i].DisposeAsync().ConfigureAwait(false);
        }

        _started.Clear();
    }
}
