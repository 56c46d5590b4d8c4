using EchoPipeline.Cli.LocalPipeline;
using EchoPipeline.Ingest;
using EchoPipeline.Jobs.Storage;

namespace EchoPipeline.Cli.Batch;

/// <summary>
/// The pipeline a batch runs on: the local one `demo` starts (Azurite, the ingest in-process, worker processes), or a
/// deployed one reached through its storage account (the ingest in-process against it, as `upload --ingest` does;
/// the deployment's workers generate). <see cref="Local"/> decides whether WAVs are copied into the output folder.
/// </summary>
internal sealed class BatchBackend(EchoStorage storage, IngestService ingest, bool local, Action checkWorkers, IAsyncDisposable owned) : IAsyncDisposable
{
    public EchoStorage Storage { get; } = storage;

    public IngestService Ingest { get; } = ingest;

    /// <summary>Whether the pipeline lives only as long as this run (its outputs must be copied out).</summary>
    public bool Local { get; } = local;

    /// <summary>Throws when nothing would ever finish the queued jobs (every local worker exited).</summary>
    public void CheckWorkers() => checkWorkers();

    public static async Task<BatchBackend> StartLocalAsync(int workers, string bundlePath, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        await Toolchain.EnsureAsync(cancellationToken).ConfigureAwait(false);
        DemoRunner.CheckBundle(bundlePath);
        var host = await LocalPipelineHost.StartAsync(workers, bundlePath, progress, cancellationToken).ConfigureAwait(false);
        return new BatchBackend(host.Storage, host.Ingest.Service, local: true, host.Workers.EnsureAlive, host);
    }

    public static BatchBackend Remote(EchoStorageOptions account, string bundleId)
    {
        var ingest = LocalIngest.Start(account, bundleId);
        return new BatchBackend(EchoStorage.Create(account), ingest.Service, local: false, () => { }, ingest);
    }

    public ValueTask DisposeAsync() => owned.DisposeAsync();
}
