using EchoPipeline.Jobs;
using EchoPipeline.Worker.Processing;
using EchoPipeline.Worker.Tests.Support;

namespace EchoPipeline.Worker.Tests.Queue;

[Collection(WorkerGroup.Name)]
public sealed class ManyJobsTests(WorkerFixture fixture) : IAsyncLifetime
{
    private const int Jobs = 50;

    public Task InitializeAsync() => fixture.ClearQueuesAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Fifty_jobs_through_two_workers_are_each_done_exactly_once()
    {
        var ids = new List<JobId>();
        for (var i = 0; i < Jobs; i++)
        {
            ids.Add(await fixture.SeedJobAsync($"many/{i:D3}.png", new JobParameters { Steps = 2 }));
        }

        var logs = new LogCapture();
        var settings = new Dictionary<string, string?> { ["Worker:BatchSize"] = "8", ["Worker:BatchWaitMs"] = "50" };
        await using (var a = await WorkerHost.StartAsync(fixture, settings, logs))
        await using (var b = await WorkerHost.StartAsync(fixture, settings, logs))
        {
            var records = await fixture.WaitForFinalAsync(ids, TimeSpan.FromSeconds(120));
            Assert.All(records, r => Assert.Equal(JobStatus.Succeeded, r.Status));
        }

        foreach (var id in ids)
        {
            Assert.Equal([JobOutputWriter.WavBlob(id, 0)], await fixture.ListAsync(StorageNames.AudioContainer, id.Value));
            Assert.Equal(1, logs.Count(3, id.Value)); // started once
            Assert.Equal(1, logs.Count(4, id.Value)); // succeeded once
        }

        var batches = logs.Entries.Where(e => e.EventId == 2).ToList();
        Assert.True(batches.Count < Jobs, $"{batches.Count} batches for {Jobs} jobs: no batching happened.");
        Assert.Equal(0, (await fixture.JobsQueue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
        Assert.Empty((await fixture.PoisonQueue.PeekMessagesAsync(32)).Value);
    }
}
