using EchoPipeline.Jobs;
using EchoPipeline.Jobs.Storage;

namespace EchoPipeline.Cli.LocalPipeline;

/// <summary>Polls job records until each job has succeeded or failed, the deadline passes, or every worker is gone.</summary>
internal sealed class JobWaiter(JobStore jobs, TimeProvider time, Action? checkWorkers = null)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>The final records by job id; jobs still unfinished at the deadline are missing from the result.</summary>
    public async Task<IReadOnlyDictionary<string, JobRecord>> WaitAsync(IReadOnlyCollection<string> jobIds, TimeSpan timeout, IProgress<int>? finished, CancellationToken cancellationToken)
    {
        var done = new Dictionary<string, JobRecord>();
        var deadline = time.GetUtcNow() + timeout;
        while (done.Count < jobIds.Count && time.GetUtcNow() < deadline)
        {
            // In submission order, stopping at the first job still running: the wait is not over before that one ends,
            // so reading the rest now would only add requests (one per job and poll, on the cores of the pipeline
            // being waited for). A job that ends out of order is picked up once the ones before it have ended.
            await ReadAsync(jobIds, done, finished, stopAtRunning: true, cancellationToken).ConfigureAwait(false);
            if (done.Count < jobIds.Count)
            {
                checkWorkers?.Invoke();
                await Task.Delay(PollInterval, time, cancellationToken).ConfigureAwait(false);
            }
        }

        if (done.Count < jobIds.Count)
        {
            // At the deadline every job is read, so those that ended behind a stuck one are reported as ended.
            await ReadAsync(jobIds, done, finished, stopAtRunning: false, cancellationToken).ConfigureAwait(false);
        }

        return done;
    }

    private async Task ReadAsync(IReadOnlyCollection<string> jobIds, Dictionary<string, JobRecord> done, IProgress<int>? finished, bool stopAtRunning, CancellationToken cancellationToken)
    {
        foreach (var id in jobIds.Where(id => !done.ContainsKey(id)))
        {
            var stored = await jobs.GetAsync(JobId.Parse(id), cancellationToken).ConfigureAwait(false);
            if (stored?.Record is { Status: JobStatus.Succeeded or JobStatus.Failed } record)
            {
                done[id] = record;
                finished?.Report(done.Count);
            }
            else if (stopAtRunning)
            {
                return;
            }
        }
    }
}
