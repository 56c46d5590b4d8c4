using EchoPipeline.Jobs;
using EchoPipeline.Worker.Processing;
using EchoPipeline.Worker.Tests.Support;

namespace EchoPipeline.Worker.Tests.Processing;

[Collection(WorkerGroup.Name)]
public sealed class DeterminismTests(WorkerFixture fixture) : IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ClearQueuesAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Retried_job_writes_byte_identical_outputs_alone_or_in_a_different_batch()
    {
        var parameters = new JobParameters { Steps = 4, Variations = 2, Outputs = [JobOutputs.Spectrogram] };
        var id = await fixture.SeedJobAsync("determinism/job.png", parameters);
        var first = await RunAsync([id], batchSize: 1);

        // Again, now sharing an engine batch with other jobs: per-request seeds keep the bytes the same.
        await ResetAsync(id);
        var others = new[] { await fixture.SeedJobAsync("determinism/other-1.png"), await fixture.SeedJobAsync("determinism/other-2.png") };
        var second = await RunAsync([.. others, id], batchSize: 4);

        Assert.Equal(first.Keys.Order(), second.Keys.Order());
        Assert.Equal(4, first.Count);
        foreach (var (name, bytes) in first)
        {
            Assert.True(bytes.AsSpan().SequenceEqual(second[name]), $"{name} differs between the runs.");
        }
    }

    [Fact]
    public async Task A_cut_long_video_writes_byte_identical_outputs_one_window_at_a_time_or_batched_with_another_video_and_a_picture()
    {
        var parameters = new JobParameters { Steps = 3, Variations = 2, Outputs = [JobOutputs.Spectrogram] };
        var video = new MediaSummary("video", 30.0, 64, 64, "h264");
        var id = await fixture.SeedJobAsync("determinism/cut.mp4", parameters, segments: 4, media: video, cutsBefore: [2]);
        var first = await RunAsync([id], batchSize: 1);

        // Batch 4: the first windows of both shots of both variations, then the other video's and the picture's alongside.
        await ResetAsync(id);
        var other = await fixture.SeedJobAsync("determinism/other.mp4", parameters with { Variations = 1 }, segments: 3, media: video, cutsBefore: [1]);
        var picture = await fixture.SeedJobAsync("determinism/picture.png", parameters with { Variations = 1 });
        var second = await RunAsync([other, picture, id], batchSize: 4);

        Assert.Equal(first.Keys.Order(), second.Keys.Order());
        foreach (var (name, bytes) in first)
        {
            Assert.True(bytes.AsSpan().SequenceEqual(second[name]), $"{name} differs between the runs.");
        }
    }

    private async Task<Dictionary<string, byte[]>> RunAsync(JobId[] ids, int batchSize)
    {
        await using (await WorkerHost.StartAsync(fixture, new Dictionary<string, string?> { ["Worker:BatchSize"] = $"{batchSize}", ["Worker:BatchWaitMs"] = "500" }))
        {
            var records = await fixture.WaitForFinalAsync(ids, TimeSpan.FromSeconds(90));
            Assert.All(records, r => Assert.Equal(JobStatus.Succeeded, r.Status));
        }

        var outputs = new Dictionary<string, byte[]>();
        foreach (var name in await fixture.ListAsync(StorageNames.AudioContainer, ids[^1].Value))
        {
            outputs[name] = await fixture.DownloadAsync(StorageNames.AudioContainer, name);
        }

        Assert.Contains(JobOutputWriter.WavBlob(ids[^1], 1), outputs.Keys);
        return outputs;
    }

    /// <summary>Back to queued with a new message, as a client re-submitting after, say, a lost record would.</summary>
    private async Task ResetAsync(JobId id)
    {
        var stored = (await fixture.Jobs.GetAsync(id))!;
        await fixture.Jobs.UpdateAsync(stored.Record with { Status = JobStatus.Queued, Outputs = null }, stored.ETag);
        await new EchoPipeline.Jobs.Storage.JobQueueClient(fixture.Storage).EnqueueAsync(id);
    }
}
