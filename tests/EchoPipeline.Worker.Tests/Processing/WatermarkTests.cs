using EchoPipeline.Engine.Audio;
using EchoPipeline.Jobs;
using EchoPipeline.Provenance.Watermarking;
using EchoPipeline.Worker.Processing;
using EchoPipeline.Worker.Tests.Support;
using Microsoft.Extensions.Options;

namespace EchoPipeline.Worker.Tests.Processing;

/// <summary>The worker marks every WAV with the job's payload, records it, and obeys the deployment's switch.</summary>
[Collection(WorkerGroup.Name)]
public sealed class WatermarkTests(WorkerFixture fixture) : IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ClearQueuesAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Every_wav_carries_the_jobs_payload_and_the_record_lists_them()
    {
        const string secret = "worker test watermark secret";
        var id = await fixture.SeedJobAsync("watermark/on.png", new JobParameters { Steps = 3, Variations = 2 });
        await using var host = await WorkerHost.StartAsync(fixture, new Dictionary<string, string?> { ["Watermark:Secret"] = secret });

        var record = await fixture.WaitForAsync(id, r => r.Status is JobStatus.Succeeded or JobStatus.Failed, TimeSpan.FromSeconds(60));

        Assert.Equal(JobStatus.Succeeded, record.Status);
        var key = WatermarkKey.FromSecret(secret);
        string[] payloads = [id.Value[..7] + "0", id.Value[..7] + "1"];
        Assert.Equal(new JobWatermark(true, WatermarkScheme.Name, key.Id), record.Watermark! with { Payloads = null });
        Assert.Equal(payloads, record.Watermark.Payloads);
        for (var v = 0; v < 2; v++)
        {
            var wav = WavReader.Decode(await fixture.DownloadAsync(StorageNames.AudioContainer, JobOutputWriter.WavBlob(id, v)));
            var detection = WatermarkDetector.Detect(wav.Samples, key);
            Assert.True(detection.Present, $"variation {v}: z = {detection.Statistic:F1}");
            Assert.Equal(payloads[v], detection.Payload?.ToString());
            Assert.Contains($"watermark=echo-wm/1 payload={payloads[v]} key={key.Id}", wav.Info["ICMT"], StringComparison.Ordinal);
            Assert.StartsWith("ai_generated=true ", wav.Info["ICMT"], StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_deployment_that_turns_the_mark_off_gets_unmarked_wavs_and_a_record_that_says_so()
    {
        var id = await fixture.SeedJobAsync("watermark/off.png", new JobParameters { Steps = 3 });
        await using var host = await WorkerHost.StartAsync(fixture, new Dictionary<string, string?> { ["Watermark:Enabled"] = "false" });

        var record = await fixture.WaitForAsync(id, r => r.Status is JobStatus.Succeeded or JobStatus.Failed, TimeSpan.FromSeconds(60));

        Assert.Equal(new JobWatermark(false, DisabledBy: "deployment"), record.Watermark);
        var wav = WavReader.Decode(await fixture.DownloadAsync(StorageNames.AudioContainer, JobOutputWriter.WavBlob(id, 0)));
        Assert.False(WatermarkDetector.Detect(wav.Samples, WatermarkKey.PublicDefault).Present);
        Assert.Contains("watermark=off disabled_by=deployment", wav.Info["ICMT"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_secret_too_short_to_be_one_stops_the_worker_at_start()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            WorkerHost.StartAsync(fixture, new Dictionary<string, string?> { ["Watermark:Secret"] = "short" }));

        Assert.Contains("Secret", error.Message, StringComparison.Ordinal);
    }
}
