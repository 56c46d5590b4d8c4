using System.Globalization;
using EchoPipeline.LocalServices;

namespace EchoPipeline.Cli.LocalPipeline;

/// <summary>N worker processes (<c>dotnet EchoPipeline.Worker.dll</c>) consuming the local queue, health on loopback.</summary>
internal sealed class WorkerPool : IAsyncDisposable
{
    private readonly List<ChildProcess> _workers;
    private readonly List<ChildProcess> _replaced = [];
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly Lock _gate = new();
    private int _started;

    private WorkerPool(List<ChildProcess> workers, IReadOnlyDictionary<string, string?> settings, int started)
    {
        _workers = workers;
        _settings = settings;
        _started = started;
    }

    public IReadOnlyList<ChildProcess> Workers
    {
        get
        {
            lock (_gate)
            {
                return [.. _workers];
            }
        }
    }

    /// <param name="overrides">Worker settings (environment names, e.g. <c>Worker__VisibilityTimeout</c>) on top of the defaults below.</param>
    public static WorkerPool Start(int count, string storageConnectionString, string bundlePath, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["EchoStorage"] = storageConnectionString,
            ["Worker__BundlePath"] = bundlePath,
            ["Worker__HealthPort"] = "-1",
            ["Worker__BatchWaitMs"] = "100",
            // Batches of 4 as before the worker sized them from memory (unless this process's environment says
            // otherwise): on a CPU memory allows the cap (32), and one batch of every demo job would leave nothing for
            // the next batch's generation to overlap.
            ["Worker__BatchSize"] = Environment.GetEnvironmentVariable("Worker__BatchSize") ?? "4",
            ["Worker__MaxIdleDelay"] = "00:00:00.500",
            ["Worker__VisibilityTimeout"] = "00:01:00",
            ["Worker__RetryDelay"] = "00:00:01",
            ["Worker__ShutdownTimeout"] = "00:00:03",
            // The workers share this machine: each gets its share of the cores for ONNX Runtime.
            ["Worker__WorkersPerMachine"] = count.ToString(CultureInfo.InvariantCulture),
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__Console__FormatterName"] = "simple",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var workers = Enumerable.Range(1, count).Select(i => StartOne(i, settings)).ToList();
        return new WorkerPool(workers, settings, count);
    }

    /// <summary>
    /// Starts a fresh worker in <paramref name="slot"/> and returns the one it replaces, which the pool still stops on
    /// dispose (a worker told to stop may still be finishing its grace period).
    /// </summary>
    public ChildProcess Replace(int slot)
    {
        lock (_gate)
        {
            var old = _workers[slot];
            _replaced.Add(old);
            _workers[slot] = StartOne(++_started, _settings);
            return old;
        }
    }

    /// <summary>Throws when every worker has exited (nothing would ever finish the queued jobs).</summary>
    public void EnsureAlive()
    {
        var workers = Workers;
        if (workers.Count > 0 && workers.All(w => w.HasExited))
        {
            throw new LocalPipelineException($"every worker exited; the last one wrote: {workers[^1].Tail()}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<ChildProcess> all;
        lock (_gate)
        {
            all = [.. _workers, .. _replaced];
        }

        // In parallel: each gets its SIGTERM grace period at the same time.
        await Task.WhenAll(all.Select(w => w.DisposeAsync().AsTask())).ConfigureAwait(false);
    }

    private static ChildProcess StartOne(int number, IReadOnlyDictionary<string, string?> settings)
    {
        var assembly = ServiceBuilds.WorkerAssembly;
        return ChildProcess.Start($"worker {number}", "dotnet", [assembly], settings, Path.GetDirectoryName(assembly));
    }
}
