using EchoPipeline.Jobs.Storage;
using EchoPipeline.LocalServices;
using Microsoft.Extensions.Options;

namespace EchoPipeline.Cli.LocalPipeline;

/// <summary>
/// The serverless pipeline on loopback: Azurite as the storage account, the Functions custom handler as the ingest,
/// N worker processes. Disposing stops them in reverse order (workers get SIGTERM and a short grace period).
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

    public Uri HandlerAddress { get; private set; } = null!;

    public WorkerPool Workers { get; private set; } = null!;

    /// <param name="handlerPort">Port for the handler; 0 picks a free one.</param>
    public static async Task<LocalPipelineHost> StartAsync(int workers, string bundlePath, int handlerPort, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        if (handlerPort != 0 && !LoopbackPorts.IsFree(handlerPort))
        {
            throw new LocalPipelineException(
                $"port {handlerPort} on 127.0.0.1 is already in use: stop what holds it (`ss -ltnp 'sport = :{handlerPort}'`) or choose another with --port.",
                ExitCodes.EnvironmentMissing);
        }

        var host = new LocalPipelineHost();
        try
        {
            progress?.Report("starting Azurite");
            var azurite = await StartAzuriteAsync(cancellationToken).ConfigureAwait(false);
            host._started.Add(azurite);
            host.ConnectionString = azurite.ConnectionString;
            host.Storage = EchoStorage.Create(new EchoStorageOptions { ConnectionString = azurite.ConnectionString });
            using (var provisioner = new StorageProvisioner(host.Storage, Options.Create(new EchoStorageOptions())))
            {
                await provisioner.EnsureAsync(cancellationToken).ConfigureAwait(false);
            }

            progress?.Report($"starting the functions handler and {workers} worker(s)");
            host.Workers = WorkerPool.Start(workers, azurite.ConnectionString, bundlePath);
            host._started.Add(host.Workers);
            var port = handlerPort != 0 ? handlerPort : LoopbackPorts.Free(1)[0];
            var handler = await HandlerProcess.StartAsync(azurite.ConnectionString, port, StartTimeout, cancellationToken).ConfigureAwait(false);
            host._started.Add(handler);
            host.HandlerAddress = handler.Address;
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
