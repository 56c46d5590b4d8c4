using EchoPipeline.Jobs;
using EchoPipeline.Worker.Tests.Support;
using Xunit.Abstractions;

namespace EchoPipeline.Worker.Tests.Queue;

[Collection(WorkerGroup.Name)]
public sealed class LeaseTests(WorkerFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>Several windows of many steps: about 5 s on the tiny bundle here, so shutdown tests still find it running on a faster machine.</summary>
    public static JobParameters LongJob { get; } = new() { Steps = 96, Variations = 4 };

    public Task InitializeAsync() => fixture.ClearQueuesAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    // 6 s, not the 3 s minimum: renewal every third of it then has 4 s of slack, which a generation saturating the
    // 2 cores of a CI machine with the rest of the suite running did not always leave at 3 s (one renewal came late,
    // the message reappeared and the job started twice). Deployments use minutes.
    private static readonly TimeSpan Visibility = TimeSpan.FromSeconds(6);

    [Fact]
    public async Task Job_longer_than_the_visibility_timeout_is_not_seen_by_a_second_consumer()
    {
        // The job must outlast the visibility timeout for this test to mean anything: on a machine fast enough to
        // finish sooner, run it again with twice the windows.
        for (var segments = 3; ; segments *= 2)
        {
            var (id, record, stolen, logs) = await RunLongJobAsync(segments);
            Assert.True(record.Status == JobStatus.Succeeded, $"the job ended {record.Status}: {record.Error}");
            var elapsed = record.CompletedAt!.Value - record.StartedAt!.Value;
            output.WriteLine($"{segments} windows: job ran {elapsed.TotalSeconds:F1} s; generate {record.Timings["generate"]:F0} ms");
            Assert.Equal(0, stolen);
            Assert.Equal(1, logs.Count(3, id.Value));
            Assert.Equal(0, (await fixture.JobsQueue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
            if (elapsed > Visibility + TimeSpan.FromSeconds(1))
            {
                return;
            }

            Assert.True(segments < 48, $"Even {segments} windows took only {elapsed}; the job cannot outlast the visibility timeout.");
        }
    }

    private async Task<(JobId Id, JobRecord Record, int Stolen, LogCapture Logs)> RunLongJobAsync(int segments)
    {
        var id = await fixture.SeedJobAsync($"lease/long-{segments}.png", LongJob with { Steps = 128 }, segments);
        var logs = new LogCapture();
        await using var host = await WorkerHost.StartAsync(fixture, new Dictionary<string, string?> { ["Worker:VisibilityTimeout"] = Visibility.ToString() }, logs);
        await fixture.WaitForAsync(id, r => r.Status != JobStatus.Queued, TimeSpan.FromSeconds(30));

        // A second consumer polls the whole time the job runs; renewal (every 2 s) keeps the message hidden from it.
        var stolen = 0;
        JobRecord record;
        while ((record = await fixture.ReadJobAsync(id)).Status == JobStatus.Running)
        {
            stolen += (await fixture.JobsQueue.ReceiveMessagesAsync(32, TimeSpan.FromSeconds(1))).Value.Length;
            await Task.Delay(250);
        }

        // The message is deleted just after the record is written; a graceful stop lets the batch get that far.
        await host.StopAsync();
        return (id, record, stolen, logs);
    }
}
