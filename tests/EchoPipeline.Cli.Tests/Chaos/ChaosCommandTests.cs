namespace EchoPipeline.Cli.Tests.Chaos;

/// <summary>`chaos` on a small run: nothing lost under kills, bad messages, duplicated events and a dead receiver.</summary>
[Collection(ChaosRunTests.Name)]
public sealed class ChaosCommandTests(ChaosRunFixture run)
{
    [Fact]
    public void A_small_chaos_run_exits_0_within_90_seconds()
    {
        Assert.True(run.ExitCode == ExitCodes.Success, $"exit code {run.ExitCode}; stdout:\n{string.Join('\n', run.OutputLines)}\nprogress:\n{run.Progress}");
        Assert.True(run.Elapsed < TimeSpan.FromSeconds(90), $"took {run.Elapsed}");
    }

    [Fact]
    public void Stdout_is_only_the_name_value_figures_in_the_documented_order()
    {
        string[] names =
        [
            "jobs_submitted", "jobs_succeeded", "jobs_failed_expected", "jobs_lost", "duplicate_outputs", "worker_crashes", "workers_killed",
            "messages_poisoned", "webhooks_expected", "webhooks_missing", "webhooks_duplicated_ids", "seconds",
        ];
        Assert.Equal(names, run.OutputLines.Select(l => l.Split(": ", 2)[0]));
    }

    [Fact]
    public void No_job_and_no_webhook_is_lost_and_no_upload_makes_two_jobs()
    {
        Assert.Equal(4, run.Figures["jobs_submitted"]);
        Assert.Equal(0, run.Figures["jobs_lost"]);
        Assert.Equal(0, run.Figures["webhooks_missing"]);
        Assert.Equal(0, run.Figures["duplicate_outputs"]);
        Assert.Equal(0, run.Figures["worker_crashes"]);
        Assert.Equal(run.Figures["jobs_submitted"], run.Figures["jobs_succeeded"] + run.Figures["jobs_failed_expected"]);
    }

    [Fact]
    public void The_faults_were_injected_the_overwritten_source_failed_and_the_bad_messages_were_poisoned()
    {
        Assert.Equal(1, run.Figures["jobs_failed_expected"]);
        Assert.True(run.Figures["workers_killed"] >= 1, "no worker was killed");
        // The three bad messages at least. The failed job's own message is not counted on: its record turns final before
        // the message is dead-lettered (and a worker killed in between leaves a message the next one just deletes).
        Assert.True(run.Figures["messages_poisoned"] >= 3, $"poisoned {run.Figures["messages_poisoned"]}");
        Assert.Equal(2, run.Figures["webhooks_expected"]);
    }
}
