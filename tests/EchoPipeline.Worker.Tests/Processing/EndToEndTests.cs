using System.Diagnostics;
using EchoPipeline.Engine.Audio;
using EchoPipeline.Ingest;
using EchoPipeline.Jobs;
using EchoPipeline.Jobs.Storage;
using EchoPipeline.Worker.Processing;
using EchoPipeline.Worker.Tests.Support;

namespace EchoPipeline.Worker.Tests.Processing;

/// <summary>Upload, the real ingest (ffprobe, middle frame, record, message), then the worker.</summary>
[Collection(WorkerGroup.Name)]
public sealed class EndToEndTests(WorkerFixture fixture) : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("echo-worker-e2e-").FullName;

    public Task InitializeAsync() => fixture.ClearQueuesAsync();

    public Task DisposeAsync()
    {
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Uploaded_video_becomes_wav_spectrogram_and_scored_video_with_the_video_stream_copied()
    {
        var video = Path.Combine(_folder, "clip.mp4");
        await RunAsync("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc2=s=320x240:r=25:d=4", "-c:v", "libx264", "-pix_fmt", "yuv420p", video);
        await using (var file = File.OpenRead(video))
        {
            await fixture.Container(StorageNames.VideosContainer).GetBlobClient("e2e/clip.mp4").UploadAsync(file, BlobUpload.As("video/mp4"));
        }

        var job = (await IngestAsync("e2e/clip.mp4", new JobParameters { Steps = 4, Outputs = [JobOutputs.ScoredVideo, JobOutputs.Spectrogram] })).Job!;
        Assert.Equal(JobStatus.Queued, job.Status);
        await using var host = await WorkerHost.StartAsync(fixture);
        var record = await fixture.WaitForAsync(job.Id, r => r.Status is JobStatus.Succeeded or JobStatus.Failed, TimeSpan.FromSeconds(60));

        Assert.Equal(JobStatus.Succeeded, record.Status);
        Assert.NotNull(record.Source.ContentSha256);
        Assert.Equal("tiny-test", record.Model!.BundleId);
        var wav = WavReader.Decode(await fixture.DownloadAsync(StorageNames.AudioContainer, JobOutputWriter.WavBlob(job.Id, 0)));
        Assert.Equal(4 * 22050, wav.Samples.Length); // exactly the video's 4 s
        Assert.Contains($"seed={record.Parameters.Seed} steps=4", wav.Info["ICMT"], StringComparison.Ordinal);
        var png = await fixture.DownloadAsync(StorageNames.AudioContainer, JobOutputWriter.SpectrogramBlob(job.Id, 0));
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, png[..4]);
        Assert.Equal(new Uri(fixture.Container(StorageNames.ScoredContainer).Uri + $"/{job.Id}/00.mp4"), record.Outputs!.ScoredVideo.Single());

        var scored = Path.Combine(_folder, "scored.mp4");
        await File.WriteAllBytesAsync(scored, await fixture.DownloadAsync(StorageNames.ScoredContainer, $"{job.Id}/00.mp4"));
        Assert.Equal("h264\naac", (await RunAsync("ffprobe", "-v", "error", "-show_entries", "stream=codec_name", "-of", "csv=p=0", scored)).Trim());
        var comment = await RunAsync("ffprobe", "-v", "error", "-show_entries", "format_tags=comment", "-of", "default=nw=1:nk=1", scored);
        Assert.Equal($"ai_generated_audio=true; software=EchoPipeline; model=tiny-test; job={job.Id}; variation=0", comment.Trim());
        // The soundtrack lines up with the picture: both streams last the video's 4 s, within a frame (40 ms).
        var durations = (await RunAsync("ffprobe", "-v", "error", "-show_entries", "stream=duration", "-of", "csv=p=0", scored)).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => double.Parse(d, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(2, durations.Length);
        Assert.All(durations, d => Assert.Equal(4.0, d, 0.04));
        // Copied, not re-encoded: the video packets hash the same in both files.
        Assert.Equal(await VideoPacketsMd5Async(video), await VideoPacketsMd5Async(scored));
    }

    [Fact]
    public async Task A_source_overwritten_after_ingest_fails_the_job_with_source_changed_and_writes_no_outputs()
    {
        var video = Path.Combine(_folder, "pinned.mp4");
        await RunAsync("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc2=s=320x240:r=25:d=2", "-c:v", "libx264", "-pix_fmt", "yuv420p", video);
        var blob = fixture.Container(StorageNames.VideosContainer).GetBlobClient("e2e/pinned.mp4");
        await using (var file = File.OpenRead(video))
        {
            await blob.UploadAsync(file, BlobUpload.As("video/mp4"));
        }

        var job = (await IngestAsync("e2e/pinned.mp4", new JobParameters { Steps = 4, Outputs = [JobOutputs.ScoredVideo] })).Job!;
        await blob.UploadAsync(BinaryData.FromString("#EXTM3U\n#EXT-X-ENDLIST\n"), BlobUpload.As("video/mp4"));
        // A final error: no second attempt (which a ten-minute retry delay would keep from finishing in time).
        var logs = new LogCapture();
        await using var host = await WorkerHost.StartAsync(fixture, new Dictionary<string, string?> { ["Worker:RetryDelay"] = "00:10:00" }, logs);
        var record = await fixture.WaitForAsync(job.Id, r => r.Status is JobStatus.Succeeded or JobStatus.Failed, TimeSpan.FromSeconds(60));

        Assert.Equal(JobStatus.Failed, record.Status);
        Assert.Equal(WorkerErrorCodes.SourceChanged, record.Error!.Code);
        Assert.False(record.Error.Retryable);
        Assert.Equal(1, logs.Count(5, job.Id.Value));
        Assert.Contains("e2e/pinned.mp4", record.Error.Message, StringComparison.Ordinal);
        Assert.Empty(await fixture.ListAsync(StorageNames.AudioContainer, job.Id.Value));
        Assert.Empty(await fixture.ListAsync(StorageNames.ScoredContainer, job.Id.Value));
    }

    private async Task<IngestOutcome> IngestAsync(string blobName, JobParameters parameters)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["EchoStorage"] = fixture.Azurite.ConnectionString,
            ["Ingest:TempDirectory"] = _folder,
            ["Ingest:BundleId"] = "tiny-test", // the bundle the fixture's workers run
        }).Build();
        await using var services = new ServiceCollection().AddLogging().AddEchoIngest(configuration).BuildServiceProvider();
        return await services.GetRequiredService<IngestService>().IngestBlobAsync(blobName, parameters, CancellationToken.None);
    }

    private static Task<string> VideoPacketsMd5Async(string path) => RunAsync("ffmpeg", "-v", "error", "-i", path, "-map", "0:v:0", "-c", "copy", "-f", "md5", "-");

    private static async Task<string> RunAsync(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{tool} failed: {error}");
        return await output;
    }
}
