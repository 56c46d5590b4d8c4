using EchoPipeline.Engine.Audio;
using EchoPipeline.Jobs;
using EchoPipeline.Worker.Processing;
using EchoPipeline.Worker.Tests.Support;

namespace EchoPipeline.Worker.Tests.Processing;

/// <summary>What the worker resolves for a job: the bundle's sampling defaults, the bundle itself, the soundtrack's length.</summary>
[Collection(WorkerGroup.Name)]
public sealed class SamplingAndLengthTests(WorkerFixture fixture) : IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ClearQueuesAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_job_without_guidance_runs_with_the_bundles_default_and_records_asked_and_used()
    {
        // The tiny bundle's sampling defaults are N=30, T=9, s=3 (tests/fixtures/bundles/tiny/bundle.json).
        var id = await fixture.SeedJobAsync("sampling/defaults.png", new JobParameters { Steps = 4 }, bundleId: "tiny-test");
        await using var host = await WorkerHost.StartAsync(fixture);

        var record = await fixture.WaitForAsync(id, r => r.Status is JobStatus.Succeeded or JobStatus.Failed, TimeSpan.FromSeconds(60));

        Assert.Equal(JobStatus.Succeeded, record.Status);
        Assert.Equal((4, (double?)null, (double?)null), (record.Parameters.Steps, record.Parameters.Temperature, record.Parameters.Guidance));
        Assert.Equal(new JobSampling("imageToAudio", 4, 9, 3), record.Sampling);
        var wav = WavReader.Decode(await fixture.DownloadAsync(StorageNames.AudioContainer, JobOutputWriter.WavBlob(id, 0)));
        Assert.Contains("steps=4 temperature=9 guidance=3 asked=steps:4,temperature:default,guidance:default ", wav.Info["ICMT"], StringComparison.Ordinal);
        var stored = await fixture.Jobs.GetAsync(id);
        Assert.Contains("\"sampling\":{\"mode\":\"imageToAudio\",\"steps\":4,\"temperature\":9,\"guidance\":3}", System.Text.Json.JsonSerializer.Serialize(stored!.Record, JobJsonContext.Default.JobRecord), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_job_made_for_another_bundle_fails_for_good_and_says_to_submit_again()
    {
        var id = await fixture.SeedJobAsync("sampling/other-bundle.png", new JobParameters { Steps = 2 }, bundleId: "echo-demo-3");
        await using var host = await WorkerHost.StartAsync(fixture);

        var record = await fixture.WaitForAsync(id, r => r.Status is JobStatus.Succeeded or JobStatus.Failed, TimeSpan.FromSeconds(60));

        Assert.Equal(JobStatus.Failed, record.Status);
        Assert.Equal(WorkerErrorCodes.BundleMismatch, record.Error!.Code);
        Assert.False(record.Error.Retryable);
        Assert.Contains("'echo-demo-3' but this worker runs 'tiny-test'", record.Error.Message, StringComparison.Ordinal);
        Assert.Null(record.Outputs);
    }

    [Fact]
    public async Task A_three_second_video_gets_three_seconds_of_sound()
    {
        var id = await fixture.SeedJobAsync("sampling/three-seconds.mp4", new JobParameters { Steps = 2 }, media: new MediaSummary("video", 3.0, 64, 64, "h264"));
        await using var host = await WorkerHost.StartAsync(fixture);

        var record = await fixture.WaitForAsync(id, r => r.Status is JobStatus.Succeeded or JobStatus.Failed, TimeSpan.FromSeconds(60));

        Assert.Equal(JobStatus.Succeeded, record.Status);
        var wav = WavReader.Decode(await fixture.DownloadAsync(StorageNames.AudioContainer, JobOutputWriter.WavBlob(id, 0)));
        Assert.Equal(3 * 22050, wav.Samples.Length);
        Assert.Equal(0, wav.Samples[^1], 1e-3f);
    }

    [Fact]
    public async Task A_long_video_gets_exactly_its_duration_of_sound()
    {
        // Three continuing segments 45 columns apart (the fixture's spacing) of a 20 s video.
        var id = await fixture.SeedJobAsync("sampling/twenty-seconds.mp4", new JobParameters { Steps = 2 }, segments: 3, media: new MediaSummary("video", 20.0, 64, 64, "h264"));
        await using var host = await WorkerHost.StartAsync(fixture);

        var record = await fixture.WaitForAsync(id, r => r.Status is JobStatus.Succeeded or JobStatus.Failed, TimeSpan.FromSeconds(90));

        Assert.Equal(JobStatus.Succeeded, record.Status);
        var wav = WavReader.Decode(await fixture.DownloadAsync(StorageNames.AudioContainer, JobOutputWriter.WavBlob(id, 0)));
        Assert.Equal(20 * 22050, wav.Samples.Length);
    }
}
