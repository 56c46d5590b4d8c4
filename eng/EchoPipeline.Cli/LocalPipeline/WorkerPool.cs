using EchoPipeline.LocalServices;

namespace EchoPipeline.Cli.LocalPipeline;

/// <summary>N worker processes (<c>dotnet EchoPipeline.Worker.dll</c>) consuming the local queue, health on loopback.</summary>
internal sealed class WorkerPool : IAsyncDisposable
{
    private readonly List<ChildProcess> _workers;

    private WorkerPool(List<ChildProcess> workers) => _workers = workers;

    public IReadOnlyList<ChildProcess> Workers => _workers;

    public static WorkerPool Start(int count, string storageConnectionString, string bundlePath)
    {
        var assembly = ServiceBuilds.WorkerAssembly;
        var settings = new Dictionary<string, string?>
        {
            ["EchoStorage"] = storageConnectionString,
            ["Worker__BundlePath"] = bundlePath,
            ["Worker__HealthPort"] = "-1",
            ["Worker__BatchWaitMs"] = "100",
            ["Worker__MaxIdleDelay"] = "00:00:00.500",
            ["Worker__VisibilityTimeout"] = "00:01:00",
            ["Worker__RetryDelay"] = "00:00:01",
            ["Worker__ShutdownTimeout"] = "00:00:03",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__Console__FormatterName"] = "simple",
        };
        var workers = Enumerable.Range(1, count)
            .Select(i => ChildProcess.Start($"worker {i}", "dotnet", [assembly], settings, Path.GetDirectoryName(assembly)))
            .ToList();
        return new WorkerPool(workers);
    }

    /// <summary>Throws when every worker has exited (nothing would ever finish the queued jobs).</summary>
    public void EnsureAlive()
    {
        if (_workers.Count > 0 && _workers.All(w => w.HasExited))
        {
            throw new LocalPipelineException($"every worker exited; the last one wrote: {_workers[^1].Tail()}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        // In parallel: each gets its SIGTERM grace period at the same time.
        await Task.WhenAll(_workers.Select(w => w.DisposeAsync().AsTask())).ConfigureAwait(false);
    }
}
