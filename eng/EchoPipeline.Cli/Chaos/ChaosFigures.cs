using System.Globalization;

namespace EchoPipeline.Cli.Chaos;

/// <summary>What a chaos run counted, printed as <c>name: value</c> lines in this order.</summary>
internal sealed record ChaosFigures
{
    public int JobsSubmitted { get; init; }

    public int JobsSucceeded { get; init; }

    /// <summary>Jobs that failed the way their fault should fail them (an overwritten source: source_changed).</summary>
    public int JobsFailedExpected { get; init; }

    /// <summary>Neither succeeded nor an expected failure when the run stopped waiting.</summary>
    public int JobsLost { get; init; }

    /// <summary>More than one job for one upload, or more WAV blobs for a job than it has variations.</summary>
    public int DuplicateOutputs { get; init; }

    /// <summary>Workers that exited other than by our kills.</summary>
    public int WorkerCrashes { get; init; }

    public int WorkersKilled { get; init; }

    public int MessagesPoisoned { get; init; }

    public int WebhooksExpected { get; init; }

    public int WebhooksMissing { get; init; }

    /// <summary>Webhook ids answered 2xx more than once: allowed (at-least-once), reported.</summary>
    public int WebhooksDuplicatedIds { get; init; }

    public double Seconds { get; init; }

    public bool AnythingLost => JobsLost > 0 || WebhooksMissing > 0 || WorkerCrashes > 0;

    public IEnumerable<(string Name, string Value)> Lines()
    {
        yield return ("jobs_submitted", Text(JobsSubmitted));
        yield return ("jobs_succeeded", Text(JobsSucceeded));
        yield return ("jobs_failed_expected", Text(JobsFailedExpected));
        yield return ("jobs_lost", Text(JobsLost));
        yield return ("duplicate_outputs", Text(DuplicateOutputs));
        yield return ("worker_crashes", Text(WorkerCrashes));
        yield return ("workers_killed", Text(WorkersKilled));
        yield return ("messages_poisoned", Text(MessagesPoisoned));
        yield return ("webhooks_expected", Text(WebhooksExpected));
        yield return ("webhooks_missing", Text(WebhooksMissing));
        yield return ("webhooks_duplicated_ids", Text(WebhooksDuplicatedIds));
        yield return ("seconds", Seconds.ToString("0.0", CultureInfo.InvariantCulture));
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
