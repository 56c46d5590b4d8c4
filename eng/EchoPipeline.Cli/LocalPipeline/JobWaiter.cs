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
            foreach (var id in jobIds.Where(id => !done.ContainsKey(id)))
            {
                var stored = await jobs.GetAsync(JobId.Parse(id), cancellationToken).ConfigureAwait(false);
                if (stored?.Record is { Status: JobStatus.Succeeded or JobStatus.Failed } record)
                {
                    done[id] = record;
                    finished?.Report(done.Count);
                }
            }

            if (done.Count < jobIds.Count)
            {
                checkWorkers?.Invoke();
                await Task.Delay(PollInterval, time, cancellationToken).ConfigureAwait(false);
            }
        }

        return done;
    }
}
