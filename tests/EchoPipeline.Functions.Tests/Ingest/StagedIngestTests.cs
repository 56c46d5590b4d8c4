using System.Security.Cryptography;
using Azure;
using Azure.Core;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using EchoPipeline.Functions.Tests.Support;
using EchoPipeline.Ingest;
using EchoPipeline.Jobs;
using EchoPipeline.Jobs.Storage;
using EchoPipeline.Media;

namespace EchoPipeline.Functions.Tests.Ingest;

/// <summary>Inputs a client staged under their hash (what `echopipe batch` does): the job's identity is the content.</summary>
[Collection(PipelineTests.Name)]
public class StagedIngestTests(PipelineFixture fixture) : FunctionTests(fixture)
{
    private IngestService Ingest => App.Services.GetRequiredService<IngestService>();

    [Fact]
    public async Task Bytes_staged_under_their_hash_become_the_content_addressed_job_and_a_second_ingest_finds_it()
    {
        await Fixture.ClearQueueAsync();
        var sha = await StageAsync(Fixture.Media.Still, name: null);
        var parameters = new JobParameters { Steps = 3, Seed = 11, Variations = 2, Outputs = [JobOutputs.Wav] };

        var first = await Ingest.IngestStagedAsync(sha, parameters, CancellationToken.None);
        var again = await Ingest.IngestStagedAsync(sha, parameters, CancellationToken.None);

        var id = JobId.Derive(SourceIdentity.ForContent(sha), parameters.Normalize(), IngestOptions.DefaultBundleId);
        Assert.Equal((id, JobStatus.Queued, IngestDisposition.Created), (first.Job!.Id, first.Job.Status, first.Disposition));
        Assert.Equal((id, IngestDisposition.Existing), (again.Job!.Id, again.Disposition));
        Assert.Equal(sha, first.Job.Source.ContentSha256);
        Assert.Equal(IngestService.StagedBlobName(sha), first.Job.Source.BlobName);
        Assert.Single(first.Job.Segments);
        Assert.Equal(JobMessage.For(id), Assert.Single(await Fixture.QueuedMessagesAsync()));
    }

    [Fact]
    public async Task Bytes_that_do_not_hash_to_their_name_fail_the_job_as_changed_and_enqueue_nothing()
    {
        await Fixture.ClearQueueAsync();
        var claimed = Convert.ToHexStringLower(SHA256.HashData("something else"u8));
        await StageAsync(Fixture.Media.Still, name: claimed);

        var outcome = await Ingest.IngestStagedAsync(claimed, new JobParameters { Steps = 3 }, CancellationToken.None);

        Assert.Equal(JobStatus.Failed, outcome.Job!.Status);
        Assert.Equal(JobErrorCodes.SourceChanged, outcome.Job.Error!.Code);
        Assert.Empty(await Fixture.QueuedMessagesAsync());
    }

    [Fact]
    public async Task An_upload_event_for_a_staged_blob_starts_no_second_job()
    {
        var sha = await StageAsync(Fixture.Media.ShortClip, name: null);

        var outcome = await Ingest.IngestUploadAsync(Fixture.Container(StorageNames.VideosContainer).GetBlobClient(IngestService.StagedBlobName(sha)), CancellationToken.None);

        Assert.Equal(IngestDisposition.Skipped, outcome.Disposition);
    }

    [Fact]
    public async Task A_second_job_on_staged_bytes_takes_the_stored_frames_and_runs_no_ffmpeg()
    {
        await Fixture.ClearQueueAsync();
        var sha = await StageAsync(Fixture.Media.ThreeColours, name: null);
        var first = await Ingest.IngestStagedAsync(sha, new JobParameters { Steps = 3, Seed = 1 }, CancellationToken.None);
        var framesBefore = await Fixture.ListAsync(StorageNames.FramesContainer);
        // FFmpeg is nowhere this app looks: any input it has to probe fails, so a job it completes ran no FFmpeg.
        await using var noFfmpeg = Fixture.StartApp(new Dictionary<string, string?>
        {
            ["Media:FfmpegPath"] = "/nonexistent-echo-tools/ffmpeg", ["Media:FfprobePath"] = "/nonexistent-echo-tools/ffprobe",
        });
        var ingest = noFfmpeg.Services.GetRequiredService<IngestService>();

        var second = await ingest.IngestStagedAsync(sha, new JobParameters { Steps = 3, Seed = 2 }, CancellationToken.None);
        var again = await ingest.IngestStagedAsync(sha, new JobParameters { Steps = 3, Seed = 2 }, CancellationToken.None);
        var unseen = await ingest.IngestStagedAsync(await StageBytesAsync(RandomNumberGenerator.GetBytes(4096)), new JobParameters { Steps = 3 }, CancellationToken.None);

        Assert.Equal((JobStatus.Queued, IngestDisposition.Created), (first.Job!.Status, first.Disposition));
        Assert.Equal((JobStatus.Queued, IngestDisposition.Created), (second.Job!.Status, second.Disposition));
        Assert.NotEqual(first.Job.Id, second.Job.Id);
        Assert.Equal((second.Job.Id, IngestDisposition.Existing), (again.Job!.Id, again.Disposition));
        Assert.NotNull(second.Job.EnqueuedAt);
        Assert.Equal(5, second.Job.Segments.Count);
        Assert.Equal(first.Job.Segments, second.Job.Segments);
        Assert.Equal(first.Job.Media, second.Job.Media);
        Assert.Contains("reuse", second.Job.Timings.Keys);
        Assert.DoesNotContain("download", second.Job.Timings.Keys);
        Assert.Equal(framesBefore, await Fixture.ListAsync(StorageNames.FramesContainer));
        Assert.Equal("ffmpeg_missing", unseen.Job!.Error!.Code);
        Assert.Equal([JobMessage.For(first.Job.Id), JobMessage.For(second.Job.Id)], await Fixture.QueuedMessagesAsync());
    }

    [Fact]
    public async Task Reused_frames_are_the_pixels_of_each_window_of_the_input()
    {
        var sha = await StageAsync(Fixture.Media.ThreeColours, name: null);
        await Ingest.IngestStagedAsync(sha, new JobParameters { Steps = 3, Seed = 3 }, CancellationToken.None);

        var reused = (await Ingest.IngestStagedAsync(sha, new JobParameters { Steps = 3, Seed = 4 }, CancellationToken.None)).Job!;

        Assert.Contains("reuse", reused.Timings.Keys);
        // Independent of the ingest: the media library's own extraction at each window's frame time, and the colours
        // the clip was made of (red 0-10 s, green 10-20 s, blue after), as the upload test checks them.
        var tools = App.Services.GetRequiredService<MediaTools>();
        (byte R, byte G, byte B)[] colours = [(255, 0, 0), (255, 0, 0), (0, 128, 0), (0, 128, 0), (0, 0, 255)];
        Assert.Equal(colours.Length, reused.Segments.Count);
        foreach (var (segment, colour) in reused.Segments.Zip(colours))
        {
            var raw = (await Fixture.Container(StorageNames.FramesContainer).GetBlobClient(segment.FrameRaw!).DownloadContentAsync()).Value.Content.ToArray();
            using var workspace = tools.CreateWorkspace(Fixture.TempDirectory);
            var copy = Path.Combine(Fixture.TempDirectory, $"colours-{Guid.NewGuid():N}.mp4");
            File.Copy(Fixture.Media.ThreeColours, copy);
            var info = await App.Services.GetRequiredService<MediaProbe>().ProbeAsync(workspace.MoveIn(copy));
            var direct = await App.Services.GetRequiredService<MiddleFrameExtractor>().ExtractAtAsync(info, TimeSpan.FromSeconds(segment.FrameAtSeconds));
            Assert.Equal(direct.Rgb24.ToArray(), raw);
            var centre = ((128 * 256) + 128) * 3;
            Assert.InRange(raw[centre], colour.R - 8, colour.R + 8);
            Assert.InRange(raw[centre + 1], colour.G - 8, colour.G + 8);
            Assert.InRange(raw[centre + 2], colour.B - 8, colour.B + 8);
        }
    }

    [Theory]
    [InlineData("deleted")]
    [InlineData("overwritten")]
    public async Task Staged_bytes_deleted_or_overwritten_while_they_are_read_fail_the_job_as_source_not_found(string change)
    {
        await Fixture.ClearQueueAsync();
        // Bytes no job has seen, so there are no stored frames and the ingest has to read the blob.
        var sha = await StageBytesAsync(RandomNumberGenerator.GetBytes(4096));
        var staged = Fixture.Container(StorageNames.VideosContainer).GetBlobClient(IngestService.StagedBlobName(sha));
        var race = new ChangeBlobBeforeRead(staged.Uri, change == "deleted"
            ? () => staged.DeleteAsync()
            : () => staged.UploadAsync(BinaryData.FromBytes(RandomNumberGenerator.GetBytes(4096)), overwrite: true));
        await using var app = Fixture.StartApp(configure: services =>
            services.ConfigureAll<BlobClientOptions>(options => options.AddPolicy(race, HttpPipelinePosition.PerCall)));

        var outcome = await app.Services.GetRequiredService<IngestService>().IngestStagedAsync(sha, new JobParameters { Steps = 3 }, CancellationToken.None);

        Assert.Equal(1, race.Fired);
        Assert.Equal((JobStatus.Failed, JobErrorCodes.SourceNotFound), (outcome.Job!.Status, outcome.Job.Error!.Code));
        Assert.Contains(IngestService.StagedBlobName(sha), outcome.Job.Error.Message, StringComparison.Ordinal);
        Assert.Equal(outcome.Job.Error, (await Fixture.ReadJobAsync(outcome.Job.Id.Value)).Error);
        Assert.Empty(await Fixture.QueuedMessagesAsync());
    }

    /// <summary>Stages the file as the CLI does (If-None-Match, the submitted marker) under its hash or <paramref name="name"/>.</summary>
    private async Task<string> StageAsync(string path, string? name) => await StageBytesAsync(await File.ReadAllBytesAsync(path), name);

    private async Task<string> StageBytesAsync(byte[] bytes, string? name = null)
    {
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        await Fixture.Container(StorageNames.VideosContainer).CreateIfNotExistsAsync();
        var blob = Fixture.Container(StorageNames.VideosContainer).GetBlobClient(IngestService.StagedBlobName(name ?? sha));
        var options = BlobUpload.As("application/octet-stream", new BlobRequestConditions { IfNoneMatch = ETag.All },
            new Dictionary<string, string> { [IngestService.IngestMetadataKey] = IngestService.SubmittedMarker });
        try
        {
            await blob.UploadAsync(BinaryData.FromBytes(bytes), options);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // Staged by another test of this collection.
        }

        return name ?? sha;
    }
}
