using EchoPipeline.Engine.Audio;
using EchoPipeline.Jobs;
using EchoPipeline.Worker.Processing;
using EchoPipeline.Worker.Tests.Support;

namespace EchoPipeline.Worker.Tests.Processing;

[Collection(WorkerGroup.Name)]
public sealed class SingleJobTests(WorkerFixture fixture) : IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ClearQueuesAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Seeded_job_succeeds_with_wav_and_provenance()
    {
        var id = await fixture.SeedJobAsync("single/one.png", new JobParameters { Steps = 4, Variations = 2 });
        await using var host = await WorkerHost.StartAsync(fixture);

        var record = await fixture.WaitForAsync(id, r => r.Status is JobStatus.Succeeded or JobStatus.Failed, TimeSpan.FromSeconds(60));

        Assert.Equal(JobStatus.Succeeded, record.Status);
        Assert.Null(record.Error);
        Assert.Equal("tiny-test", record.Model!.BundleId);
        Assert.Equal(64, record.Model.Sha256.Length);
        Assert.Equal(2, record.Outputs!.Wav.Count);
        Assert.Contains("generate", record.Timings.Keys);
        var first = WavReader.Decode(await fixture.DownloadAsync(StorageNames.AudioContainer, JobOutputWriter.WavBlob(id, 0)));
        var second = WavReader.Decode(await fixture.DownloadAsync(StorageNames.AudioContainer, JobOutputWriter.WavBlob(id, 1)));
        Assert.Equal(22050, first.SampleRate);
        Assert.Equal(217088, first.Samples.Length);
        var seed = record.Parameters.Seed!.Value;
        Assert.Contains($"seed={seed} ", first.Info["ICMT"], StringComparison.Ordinal);
        Assert.Contains($"seed={seed + 1} ", second.Info["ICMT"], StringComparison.Ordinal);
        Assert.Contains($"sha256={record.Model.Sha256}", first.Info["ICMT"], StringComparison.Ordinal);
        Assert.Contains("input_sha256=", first.Info["ICMT"], StringComparison.Ordinal);
        Assert.NotEqual(first.Samples, second.Samples);
        Assert.Empty((await fixture.JobsQueue.PeekMessagesAsync(32)).Value);
    }
}
