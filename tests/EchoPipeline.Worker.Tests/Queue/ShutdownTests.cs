using EchoPipeline.Engine.Audio;
using EchoPipeline.Jobs;
using EchoPipeline.Worker.Processing;
using EchoPipeline.Worker.Tests.Support;

namespace EchoPipeline.Worker.Tests.Queue;

[Collection(WorkerGroup.Name)]
public sealed class ShutdownTests(WorkerFixture fixture) : IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ClearQueuesAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Stop_within_the_grace_period_finishes_the_batch_in_flight()
    {
        var id = await fixture.SeedJobAsync("shutdown/finish.png", LeaseTests.LongJob, segments: 3);
        var host = await WorkerHost.StartAsync(fixture, new Dictionary<string, string?> { ["Worker:ShutdownTimeout"] = "00:05:00" });
        await fixture.WaitForAsync(id, r => r.Status == JobStatus.Running, TimeSpan.FromSeconds(30));

        await host.DisposeAsync();

        Assert.Equal(JobStatus.Succeeded, (await fixture.ReadJobAsync(id)).Status);
        Assert.Equal(0, (await fixture.JobsQueue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task Stop_after_the_grace_period_releases_the_message_at_once_and_nothing_is_lost()
    {
        var id = await fixture.SeedJobAsync("shutdown/release.png", LeaseTests.LongJob, segments: 3);
        var settings = new Dictionary<string, string?> { ["Worker:ShutdownTimeout"] = "00:00:00.500", ["Worker:VisibilityTimeout"] = "00:01:00" };
        var host = await WorkerHost.StartAsync(fixture, settings);
        await fixture.WaitForAsync(id, r => r.Status == JobStatus.Running, TimeSpan.FromSeconds(30));

        await host.DisposeAsync();

        // Visible again now, not a minute from now.
        var visible = (await fixture.JobsQueue.PeekMessagesAsync(32)).Value;
        Assert.Equal(id, JobMessage.Parse(visible.Single().MessageText).JobId);
        Assert.NotEqual(JobStatus.Succeeded, (await fixture.ReadJobAsync(id)).Status);

        await using var next = await WorkerHost.StartAsync(fixture);
        var record = await fixture.WaitForAsync(id, r => r.Status is JobStatus.Succeeded or JobStatus.Failed, TimeSpan.FromSeconds(60));
        Assert.Equal(JobStatus.Succeeded, record.Status);
        Assert.Equal(4, record.Outputs!.Wav.Count);
    }

    [Fact]
    public async Task Sigterm_to_the_worker_process_during_a_batch_loses_nothing()
    {
        var ids = new[]
        {
            await fixture.SeedJobAsync("shutdown/sigterm-1.png", LeaseTests.LongJob, segments: 3),
            await fixture.SeedJobAsync("shutdown/sigterm-2.png", LeaseTests.LongJob, segments: 3),
        };
        var settings = new Dictionary<string, string?> { ["Worker:ShutdownTimeout"] = "00:00:01", ["Worker:VisibilityTimeout"] = "00:01:00" };
        using (var worker = WorkerProcess.Start(fixture, settings))
        {
            await fixture.WaitForAsync(ids[0], r => r.Status == JobStatus.Running, TimeSpan.FromSeconds(60));
            worker.Terminate();
            Assert.Equal(0, await worker.WaitForExitAsync(TimeSpan.FromSeconds(30)));
            Assert.Contains("releasing 2 message(s)", worker.Output, StringComparison.Ordinal);
        }

        Assert.Equal(2, (await fixture.JobsQueue.PeekMessagesAsync(32)).Value.Length);
        await using var next = await WorkerHost.StartAsync(fixture);
        var records = await fixture.WaitForFinalAsync(ids, TimeSpan.FromSeconds(90));
        Assert.All(records, r => Assert.Equal(JobStatus.Succeeded, r.Status));
    }

    [Fact]
    public async Task Killed_worker_process_job_completes_once_on_another_with_whole_outputs()
    {
        var id = await fixture.SeedJobAsync("shutdown/kill.png", LeaseTests.LongJob, segments: 3);
        var settings = new Dictionary<string, string?> { ["Worker:VisibilityTimeout"] = "00:00:04" };
        string firstOutput;
        using (var first = WorkerProcess.Start(fixture, settings))
        {
            await fixture.WaitForAsync(id, r => r.Status == JobStatus.Running, TimeSpan.FromSeconds(60));
            first.Kill();
            await first.WaitForExitAsync(TimeSpan.FromSeconds(10));
            firstOutput = first.Output;
        }

        Assert.NotEqual(JobStatus.Succeeded, (await fixture.ReadJobAsync(id)).Status);
        using var second = WorkerProcess.Start(fixture, settings);
        var record = await fixture.WaitForAsync(id, r => r.Status is JobStatus.Succeeded or JobStatus.Failed, TimeSpan.FromSeconds(90));

        Assert.Equal(JobStatus.Succeeded, record.Status);
        Assert.DoesNotContain($"Job {id} succeeded", firstOutput, StringComparison.Ordinal);
        await WaitForLogAsync(second, $"Job {id} succeeded");
        Assert.Single(AllIndexes(second.Output, $"Job {id} succeeded"));
        Assert.Contains($"Job {id} started (dequeue 2)", second.Output, StringComparison.Ordinal);
        Assert.Equal(4, (await fixture.ListAsync(StorageNames.AudioContainer, id.Value)).Count);
        for (var v = 0; v < 4; v++)
        {
            var wav = WavReader.Decode(await fixture.DownloadAsync(StorageNames.AudioContainer, JobOutputWriter.WavBlob(id, v)));
            Assert.True(wav.Samples.Length > 3 * 150_000, $"Variation {v} has only {wav.Samples.Length} samples for three windows.");
        }
    }

    private static async Task WaitForLogAsync(WorkerProcess worker, string text)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!worker.Output.Contains(text, StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
    }

    private static IEnumerable<int> AllIndexes(string text, string value)
    {
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + 1, StringComparison.Ordinal))
        {
            yield return i;
        }
    }
}
