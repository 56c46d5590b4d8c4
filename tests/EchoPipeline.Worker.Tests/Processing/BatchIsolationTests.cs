using EchoPipeline.Jobs;
using EchoPipeline.Worker.Tests.Support;

namespace EchoPipeline.Worker.Tests.Processing;

/// <summary>One job that breaks the engine run must not take its batch-mates down with it.</summary>
[Collection(WorkerGroup.Name)]
public sealed class BatchIsolationTests(WorkerFixture fixture) : IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ClearQueuesAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task When_one_job_fails_the_batch_run_its_batch_mates_still_succeed_on_their_first_attempt()
    {
        // Zero steps passes admission (a record an older writer could have left) but the engine refuses it.
        var culprit = await fixture.SeedJobAsync("isolation/culprit.png", new JobParameters { Steps = 0 });
        var good = new[]
        {
            await fixture.SeedJobAsync("isolation/good-1.png"),
            await fixture.SeedJobAsync("isolation/good-2.png"),
        };
        var logs = new LogCapture();
        var settings = new Dictionary<string, string?> { ["Worker:BatchSize"] = "4", ["Worker:BatchWaitMs"] = "2000", ["Worker:RetryDelay"] = "00:10:00" };
        await using var host = await WorkerHost.StartAsync(fixture, settings, logs);

        var records = await fixture.WaitForFinalAsync(good, TimeSpan.FromSeconds(90));
        var failed = await fixture.WaitForAsync(culprit, r => r.Error is not null, TimeSpan.FromSeconds(30));

        Assert.All(records, r => Assert.Equal(JobStatus.Succeeded, r.Status));
        Assert.NotEqual(JobStatus.Succeeded, failed.Status);
        await host.StopAsync();
        Assert.True(logs.Entries.Any(e => e.EventId == 30), "the batch was isolated after the engine run failed");
        Assert.Equal(0, logs.Count(5, good[0].Value) + logs.Count(5, good[1].Value));
    }
}
