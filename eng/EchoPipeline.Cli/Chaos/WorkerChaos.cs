using System.Diagnostics;
using System.Globalization;
using EchoPipeline.Cli.LocalPipeline;
using EchoPipeline.LocalServices;

namespace EchoPipeline.Cli.Chaos;

/// <summary>
/// Kills workers while jobs are in flight, alternating SIGKILL (a crash: its messages come back when their visibility
/// timeout ends) and SIGTERM (a stop: it releases them), and starts a replacement each time so the pool keeps its size.
/// A worker that exits without being killed is a crash: counted, and replaced too so the run can go on. Only workers
/// that have run for a kill interval are killed (a fresh one is still loading the model, not in a job), and at most
/// <paramref name="maxKills"/> in all: on 2 cores each restart costs seconds of start-up that the jobs wait for.
/// </summary>
internal sealed class WorkerChaos(WorkerPool pool, TimeSpan killInterval, int maxKills, TimeProvider time, IProgress<string>? progress)
{
    private readonly HashSet<ChildProcess> _killed = [];
    private readonly Dictionary<ChildProcess, DateTimeOffset> _firstSeen = [];
    private readonly Random _random = new();

    public int Killed { get; private set; }

    public int Crashes { get; private set; }

    /// <summary>Runs until <paramref name="cancellationToken"/> is cancelled (the jobs are done).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var nextKill = time.GetUtcNow() + killInterval;
        foreach (var worker in pool.Workers)
        {
            // The workers started with the pipeline count from now, so the first kill can come one interval in.
            FirstSeen(worker, time.GetUtcNow());
        }

        var hard = true;
        while (!cancellationToken.IsCancellationRequested)
        {
            ReplaceCrashed();
            if (Killed < maxKills && time.GetUtcNow() >= nextKill && await KillOneAsync(hard).ConfigureAwait(false))
            {
                hard = !hard;
                nextKill = time.GetUtcNow() + killInterval;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), time, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>Counts (and replaces) the workers that exited by themselves; called once more at the end of the run.</summary>
    public void ReplaceCrashed()
    {
        var workers = pool.Workers;
        for (var slot = 0; slot < workers.Count; slot++)
        {
            if (workers[slot].HasExited && !_killed.Contains(workers[slot]))
            {
                Crashes++;
                progress?.Report($"{workers[slot].Name} exited by itself (a crash); its last lines: {workers[slot].Tail()}");
                pool.Replace(slot);
            }
        }
    }

    /// <summary>Signals a random worker old enough to be in a job and replaces it; false when none was.</summary>
    private async Task<bool> KillOneAsync(bool hard)
    {
        var now = time.GetUtcNow();
        var workers = pool.Workers;
        var old = Enumerable.Range(0, workers.Count)
            .Where(slot => !workers[slot].HasExited && now - FirstSeen(workers[slot], now) >= killInterval)
            .ToList();
        if (old.Count == 0)
        {
            return false;
        }

        var slot = old[_random.Next(old.Count)];
        var worker = workers[slot];

        _killed.Add(worker);
        try
        {
            if (hard)
            {
                using var process = Process.GetProcessById(worker.Id);
                process.Kill();
            }
            else
            {
                using var kill = Process.Start("kill", ["-TERM", worker.Id.ToString(CultureInfo.InvariantCulture)]);
                await kill.WaitForExitAsync().ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // It exited by itself between the check and the signal: the next round counts it as the crash it is.
            _killed.Remove(worker);
            progress?.Report($"could not signal {worker.Name}: {e.Message}");
            return false;
        }

        Killed++;
        progress?.Report($"{(hard ? "SIGKILL" : "SIGTERM")} {worker.Name}; starting a replacement");
        pool.Replace(slot);
        return true;
    }

    private DateTimeOffset FirstSeen(ChildProcess worker, DateTimeOffset now) =>
        _firstSeen.TryGetValue(worker, out var seen) ? seen : _firstSeen[worker] = now;
}
