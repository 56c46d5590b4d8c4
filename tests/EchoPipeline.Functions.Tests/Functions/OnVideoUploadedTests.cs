using Azure;
using EchoPipeline.Functions.Tests.Support;
using EchoPipeline.Ingest;
using EchoPipeline.Jobs;
using EchoPipeline.Jobs.Storage;
using EchoPipeline.Media;
using EchoPipeline.Testing;

namespace EchoPipeline.Functions.Tests.Functions;

/// <summary>OnVideoUploaded invoked as the blob trigger invokes it: a BlobClient on a real upload in Azurite.</summary>
[Collection(PipelineTests.Name)]
public class OnVideoUploadedTests(PipelineFixture fixture) : FunctionTests(fixture)
{
    [Fact]
    public async Task An_upload_becomes_a_queued_job_with_its_frame_and_one_claim_check_message()
    {
        await Fixture.ClearQueueAsync();
        var etag = await Fixture.UploadVideoAsync("upload/clip.mp4", Fixture.Media.ShortClip);

        await App.UploadedAsync("upload/clip.mp4");

        var id = UploadJob("upload/clip.mp4", etag);
        var job = await Fixture.ReadJobAsync(id.Value);
        Assert.Equal(JobStatus.Queued, job.Status);
        Assert.NotNull(job.EnqueuedAt);
        Assert.Equal(("video", 320, 240), (job.Media!.Kind, job.Media.Width, job.Media.Height));
        Assert.Equal(4, job.Media.DurationSeconds, 1);
        Assert.Equal(etag.ToString(), job.Source.ETag);
        Assert.Equal(64, job.Source.ContentSha256!.Length);
        Assert.Equal(JobParameters.ForBlobCreated.ResolveSeed(id), job.Parameters.Seed);
        var segment = Assert.Single(job.Segments);
        Assert.Equal(2, segment.FrameAtSeconds, 2);

        var png = (await Fixture.Container("frames").GetBlobClient(segment.FramePng).DownloadContentAsync()).Value.Content.ToArray();
        Assert.Equal((256, 256), Png.Size(png));
        var raw = (await Fixture.Container("frames").GetBlobClient(segment.FrameRaw!).DownloadContentAsync()).Value.Content.ToArray();
        Assert.Equal(256 * 256 * 3, raw.Length);
        Assert.Equal(JobMessage.For(id), Assert.Single(await Fixture.QueuedMessagesAsync()));
    }

    [Fact]
    public async Task A_duplicate_event_finds_the_existing_job_and_enqueues_nothing()
    {
        await Fixture.ClearQueueAsync();
        var etag = await Fixture.UploadVideoAsync("dup.mp4", Fixture.Media.ShortClip);

        await App.UploadedAsync("dup.mp4");
        var id = UploadJob("dup.mp4", etag);
        var first = await Fixture.ReadJobAsync(id.Value);
        var again = await App.Activate<IngestService>().IngestUploadAsync(Fixture.Container("videos").GetBlobClient("dup.mp4"), CancellationToken.None);

        Assert.Equal((IngestDisposition.Existing, false), (again.Disposition, again.Enqueued));
        Assert.Single(await Fixture.QueuedMessagesAsync());
        Assert.Equal(first.UpdatedAt, (await Fixture.ReadJobAsync(id.Value)).UpdatedAt);
    }

    [Theory]
    [InlineData(JobErrorCodes.IngestTimedOut, true)]
    [InlineData("ffmpeg_missing", true)]
    [InlineData("not_media", false)]
    public async Task A_resubmitted_upload_runs_again_only_when_its_failure_was_retryable(string code, bool runsAgain)
    {
        await Fixture.ClearQueueAsync();
        var name = $"retry/{code}.mp4";
        var etag = await Fixture.UploadVideoAsync(name, Fixture.Media.ShortClip);
        var id = UploadJob(name, etag);
        var pending = await WritePendingRecordAsync(id, name, etag, DateTimeOffset.UtcNow);
        var stored = (await new JobStore(Fixture.Storage).GetAsync(id))!;
        await new JobStore(Fixture.Storage).UpdateAsync(pending with { Status = JobStatus.Failed, Error = new JobError(code, "an earlier attempt") }, stored.ETag);

        var outcome = await App.Activate<IngestService>().IngestUploadAsync(Fixture.Container("videos").GetBlobClient(name), CancellationToken.None);

        var record = await Fixture.ReadJobAsync(id.Value);
        Assert.Equal(runsAgain, outcome.Enqueued);
        Assert.Equal(runsAgain ? JobStatus.Queued : JobStatus.Failed, record.Status);
        Assert.Equal(runsAgain ? null : code, record.Error?.Code);
        Assert.Equal(runsAgain ? 1 : 0, (await Fixture.QueuedMessagesAsync()).Count);
    }

    [Fact]
    public async Task A_redelivered_event_while_the_first_ingest_runs_does_nothing()
    {
        await Fixture.ClearQueueAsync();
        var etag = await Fixture.UploadVideoAsync("running.mp4", Fixture.Media.ShortClip);
        var id = UploadJob("running.mp4", etag);
        var claimed = await WritePendingRecordAsync(id, "running.mp4", etag, DateTimeOffset.UtcNow);
        var before = await SnapshotAsync();

        await App.UploadedAsync("running.mp4");

        Assert.Empty(await Fixture.QueuedMessagesAsync());
        Assert.Equal(before, await SnapshotAsync());
        Assert.Equal(claimed.UpdatedAt, (await Fixture.ReadJobAsync(id.Value)).UpdatedAt);
    }

    [Fact]
    public async Task A_pending_record_older_than_the_deadline_is_taken_over_and_finished()
    {
        await Fixture.ClearQueueAsync();
        var etag = await Fixture.UploadVideoAsync("abandoned.mp4", Fixture.Media.ShortClip);
        var id = UploadJob("abandoned.mp4", etag);
        await WritePendingRecordAsync(id, "abandoned.mp4", etag, DateTimeOffset.UtcNow.AddMinutes(-30));

        await App.UploadedAsync("abandoned.mp4");

        var job = await Fixture.ReadJobAsync(id.Value);
        Assert.Equal((JobStatus.Queued, 1), (job.Status, job.Segments.Count));
        Assert.NotNull(job.EnqueuedAt);
        Assert.Equal(JobMessage.For(id), Assert.Single(await Fixture.QueuedMessagesAsync()));
    }

    [Fact]
    public async Task A_job_whose_message_never_went_out_is_enqueued_by_the_retried_event()
    {
        await Fixture.ClearQueueAsync();
        var etag = await Fixture.UploadVideoAsync("crashed.mp4", Fixture.Media.ShortClip);
        var id = UploadJob("crashed.mp4", etag);
        var pending = await WritePendingRecordAsync(id, "crashed.mp4", etag, DateTimeOffset.UnixEpoch);
        var stored = (await new JobStore(Fixture.Storage).GetAsync(id))!;
        await new JobStore(Fixture.Storage).UpdateAsync(pending with { Segments = [new JobSegment(0, 0, 4, 2, $"{id}/0000.png")] }, stored.ETag);

        await App.UploadedAsync("crashed.mp4");

        Assert.Equal(JobMessage.For(id), Assert.Single(await Fixture.QueuedMessagesAsync()));
        Assert.NotNull((await Fixture.ReadJobAsync(id.Value)).EnqueuedAt);
    }

    [Fact]
    public async Task An_ingest_past_its_deadline_fails_the_job_with_ingest_timed_out()
    {
        await Fixture.ClearQueueAsync();
        var etag = await Fixture.UploadVideoAsync("slow.mp4", Fixture.Media.ShortClip);
        await using var expired = Fixture.StartApp(configure: services => services.AddSingleton<TimeProvider>(new ExpiredTimers()));

        await expired.UploadedAsync("slow.mp4");

        var job = await Fixture.ReadJobAsync(UploadJob("slow.mp4", etag).Value);
        Assert.Equal((JobStatus.Failed, JobErrorCodes.IngestTimedOut), (job.Status, job.Error!.Code));
        Assert.Contains("Ingest:Deadline", job.Error.Message, StringComparison.Ordinal);
        Assert.Empty(await Fixture.QueuedMessagesAsync());
    }

    [Fact]
    public async Task An_infrastructure_failure_after_the_claim_releases_it_so_the_retry_starts_over()
    {
        await Fixture.ClearQueueAsync();
        var etag = await Fixture.UploadVideoAsync("retried.mp4", Fixture.Media.ShortClip);
        var notAFolder = Path.Combine(Fixture.TempDirectory, "not-a-folder");
        await File.WriteAllTextAsync(notAFolder, "a file where the work folders should go");
        await using var broken = Fixture.StartApp(new Dictionary<string, string?> { ["Ingest:TempDirectory"] = notAFolder });
        var id = UploadJob("retried.mp4", etag);

        await Assert.ThrowsAnyAsync<IOException>(() => broken.UploadedAsync("retried.mp4"));
        Assert.Null(await new JobStore(Fixture.Storage).GetAsync(id));
        await App.UploadedAsync("retried.mp4");

        Assert.Equal(JobStatus.Queued, (await Fixture.ReadJobAsync(id.Value)).Status);
        Assert.Equal(JobMessage.For(id), Assert.Single(await Fixture.QueuedMessagesAsync()));
    }

    [Fact]
    public async Task Unreachable_storage_fails_the_invocation_so_the_host_retries_it()
    {
        await using var broken = Fixture.StartApp(new Dictionary<string, string?>
        {
            ["EchoStorage"] = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + EchoPipeline.LocalServices.AzuriteServer.AccountKey +
                ";BlobEndpoint=http://127.0.0.1:9/devstoreaccount1;QueueEndpoint=http://127.0.0.1:9/devstoreaccount1;",
            ["EchoStorage:MaxRetries"] = "0",
        });

        await Assert.ThrowsAsync<RequestFailedException>(() => broken.UploadedAsync("any.mp4"));
    }

    [Fact]
    public async Task An_overwritten_blob_is_a_new_job()
    {
        await Fixture.ClearQueueAsync();
        await Fixture.UploadVideoAsync("overwritten.mp4", Fixture.Media.ShortClip);
        await App.UploadedAsync("overwritten.mp4");
        await Fixture.UploadVideoAsync("overwritten.mp4", Fixture.Media.Still);
        await App.UploadedAsync("overwritten.mp4");

        var messages = await Fixture.QueuedMessagesAsync();
        Assert.Equal(2, messages.Select(m => m.JobId).Distinct().Count());
    }

    [Fact]
    public async Task A_long_video_is_one_job_with_a_frame_per_window_and_a_fresh_window_at_each_cut()
    {
        var etag = await Fixture.UploadVideoAsync("colours.mp4", Fixture.Media.ThreeColours);
        await App.UploadedAsync("colours.mp4");

        var job = await Fixture.ReadJobAsync(UploadJob("colours.mp4", etag).Value);
        // Cuts at 10 and 20 s. Windows of W = 53 columns of C = 4096/22050 s: a 10 s shot plus the 50 ms crossfade
        // needs 55 columns, two windows at columns 0 and 2; the last 5 s shot one window. Frames at each span's middle.
        const double W = 217088.0 / 22050, C = 4096.0 / 22050;
        double[] expectedAt = [W / 2, ((2 * C) + 10) / 2, 10 + (W / 2), (10 + (2 * C) + 20) / 2, 22.5];
        Assert.Equal(expectedAt.Length, job.Segments.Count);
        foreach (var (segment, at) in job.Segments.Zip(expectedAt))
        {
            Assert.Equal(at, segment.FrameAtSeconds, 0.01);
        }

        Assert.Equal([true, false, true, false, true], job.Segments.Select(s => s.StartsShot));
        Assert.Equal(10.0, job.Segments[2].StartSeconds, 0.1);
        Assert.Equal(20.0, job.Segments[4].StartSeconds, 0.1);
        Assert.Contains("shots", job.Timings.Keys);
        (byte R, byte G, byte B)[] expected = [(255, 0, 0), (255, 0, 0), (0, 128, 0), (0, 128, 0), (0, 0, 255)];
        foreach (var (segment, colour) in job.Segments.Zip(expected))
        {
            var raw = (await Fixture.Container("frames").GetBlobClient(segment.FrameRaw!).DownloadContentAsync()).Value.Content.ToArray();
            var centre = ((128 * 256) + 128) * 3;
            Assert.InRange(raw[centre], colour.R - 8, colour.R + 8);
            Assert.InRange(raw[centre + 1], colour.G - 8, colour.G + 8);
            Assert.InRange(raw[centre + 2], colour.B - 8, colour.B + 8);
        }
    }

    [Fact]
    public async Task A_still_image_is_one_segment()
    {
        var etag = await Fixture.UploadVideoAsync("still.png", Fixture.Media.Still);
        await App.UploadedAsync("still.png");

        var job = await Fixture.ReadJobAsync(UploadJob("still.png", etag).Value);
        Assert.Equal(JobStatus.Queued, job.Status);
        Assert.Equal(("image", 640, 480, "png"), (job.Media!.Kind, job.Media.Width, job.Media.Height, job.Media.Codec));
        Assert.Single(job.Segments);
    }

    /// <summary>
    /// A plain JPEG is read in process (InProcessStillsTests); its stored frame is the one the FFmpeg path makes
    /// of the same file (Media:DecodeStillsInProcess off, as the reference), within JPEG decoder noise.
    /// </summary>
    [Fact]
    public async Task A_still_jpeg_is_one_segment_with_the_frame_the_ffmpeg_path_makes()
    {
        var etag = await Fixture.UploadVideoAsync("still.jpg", Fixture.Media.StillJpeg);
        await App.UploadedAsync("still.jpg");

        var job = await Fixture.ReadJobAsync(UploadJob("still.jpg", etag).Value);
        Assert.Equal(JobStatus.Queued, job.Status);
        Assert.Equal(("image", 0.0, 400, 300, "mjpeg"), (job.Media!.Kind, job.Media.DurationSeconds, job.Media.Width, job.Media.Height, job.Media.Codec));
        var segment = Assert.Single(job.Segments);
        var raw = (await Fixture.Container("frames").GetBlobClient(segment.FrameRaw!).DownloadContentAsync()).Value.Content.ToArray();

        var ffmpegOnly = new MediaTools(new MediaOptions { DecodeStillsInProcess = false });
        using var workspace = ffmpegOnly.CreateWorkspace();
        var reference = await new MiddleFrameExtractor(ffmpegOnly).ExtractMiddleAsync(
            await new MediaProbe(ffmpegOnly).ProbeAsync(await workspace.CopyInAsync(Fixture.Media.StillJpeg)));
        var meanDifference = raw.Zip(reference.Rgb24.ToArray(), (a, b) => Math.Abs(a - b)).Average();
        Assert.True(meanDifference < 1.5, $"mean difference {meanDifference:F3}");
    }

    public static TheoryData<string, string> BadInputs => new()
    {
        { "empty", "empty_file" },
        { "text", "not_media" },
        { "truncated", "truncated" },
        { "audio", "no_video_stream" },
        { "sliver", "bad_dimensions" },
        { "twohours", "too_long" },
        { "hls", "unsupported_format" },
        { "ffconcat", "unsupported_format" },
        { "sdp", "unsupported_format" },
        { "bomb", "too_many_pixels" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Bad_input_ends_as_a_failed_job_with_a_stable_code_and_nothing_enqueued(string kind, string code)
    {
        await Fixture.ClearQueueAsync();
        var path = Path.Combine(Fixture.TempDirectory, $"bad-{kind}");
        switch (kind)
        {
            case "empty": await File.WriteAllBytesAsync(path, []); break;
            case "text": await File.WriteAllTextAsync(path, "this is a shopping list, not a video\n"); break;
            case "truncated": File.Copy(Fixture.Media.Truncated, path, true); break;
            case "audio": File.Copy(Fixture.Media.AudioOnly, path, true); break;
            case "sliver": File.Copy(Fixture.Media.Sliver, path, true); break;
            case "twohours": File.Copy(Fixture.Media.TwoHours, path, true); break;
            // A playlist that would have FFmpeg read the server's own files (the review's finding).
            case "hls": await File.WriteAllTextAsync(path, HostileMedia.HlsPlaylist(Fixture.Media.ShortClip)); break;
            case "ffconcat": await File.WriteAllTextAsync(path, HostileMedia.FfconcatScript(Fixture.Media.ShortClip)); break;
            case "sdp": await File.WriteAllTextAsync(path, HostileMedia.SdpDescription()); break;
            case "bomb": await File.WriteAllBytesAsync(path, HostileMedia.PngDeclaring(40000, 40000)); break;
        }

        var name = $"bad/{kind}.mp4";
        var etag = await Fixture.UploadVideoAsync(name, path);
        await App.UploadedAsync(name);

        var id = UploadJob(name, etag);
        var job = await Fixture.ReadJobAsync(id.Value);
        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Equal(code, job.Error!.Code);
        Assert.Contains(name, job.Error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Fixture.TempDirectory, job.Error.Message, StringComparison.Ordinal);
        Assert.Empty(await Fixture.QueuedMessagesAsync());
        Assert.Empty(await Fixture.ListAsync("frames", $"content/{job.Source.ContentSha256}/"));
    }

    [Fact]
    public async Task An_upload_over_the_size_limit_fails_without_being_downloaded()
    {
        await Fixture.ClearQueueAsync();
        await using var small = Fixture.StartApp(new Dictionary<string, string?> { ["Media:MaxBytes"] = "1000" });
        var etag = await Fixture.UploadVideoAsync("big.mp4", Fixture.Media.ShortClip);

        await small.UploadedAsync("big.mp4");

        var job = await Fixture.ReadJobAsync(UploadJob("big.mp4", etag).Value);
        Assert.Equal(("too_large", false), (job.Error!.Code, job.Timings.ContainsKey("download")));
        Assert.Contains("Media:MaxBytes", job.Error.Message, StringComparison.Ordinal);
        Assert.Empty(await Fixture.QueuedMessagesAsync());
    }

    public static TheoryData<string> AwkwardButValidNames => new()
    {
        "my holiday (1).mp4",
        "ünïcødé 視頻 🎬.mp4",
        "quote\"s and 'apostrophes'.mp4",
        "-leading-dash.mp4",
        "--help",
        "deep/folder/-i/clip.mp4",
        new string('x', 200) + ".mp4",
    };

    [Theory]
    [MemberData(nameof(AwkwardButValidNames))]
    public async Task Awkward_names_are_processed_and_never_reach_a_command_line_or_path(string name)
    {
        var etag = await Fixture.UploadVideoAsync(name, Fixture.Media.ShortClip);
        await App.UploadedAsync(name);

        var id = UploadJob(name, etag);
        var job = await Fixture.ReadJobAsync(id.Value);
        Assert.Equal(JobStatus.Queued, job.Status);
        Assert.Equal(name, job.Source.BlobName);
        var segment = Assert.Single(job.Segments);
        var stored = await Fixture.ListAsync("frames", $"content/{job.Source.ContentSha256}/");
        Assert.Contains(segment.FramePng, stored);
        Assert.Contains(segment.FrameRaw!, stored);
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(Fixture.TempDirectory, "*", SearchOption.AllDirectories),
            p => p.Contains("echo-ingest", StringComparison.Ordinal) && Path.GetFileName(p) != "echo-ingest");
    }

    public static TheoryData<string> HostileNames => new()
    {
        "a//b.mp4",
        "tab\there.mp4",
        "new\nline.mp4",
        "back\\slash.mp4",
        "trailing.",
        new string('n', 1100) + ".mp4",
    };

    [Theory]
    [MemberData(nameof(HostileNames))]
    public async Task Hostile_names_fail_with_invalid_blob_name_and_touch_nothing_else(string name)
    {
        await Fixture.ClearQueueAsync();
        var before = await SnapshotAsync();

        await App.UploadedAsync(name);

        var id = UploadJob(name, "none");
        var job = await Fixture.ReadJobAsync(id.Value);
        Assert.Equal((JobStatus.Failed, JobErrorCodes.InvalidBlobName), (job.Status, job.Error!.Code));
        Assert.Contains("Rename the file", job.Error.Message, StringComparison.Ordinal);
        Assert.True(job.Source.BlobName.Length <= 1025);
        Assert.Empty(await Fixture.QueuedMessagesAsync());
        var after = await SnapshotAsync();
        Assert.Equal([$"jobs/{id}.json"], after.Except(before));
        Assert.Empty(before.Except(after));
    }

    [Theory]
    [InlineData("../jobs/evil.mp4")]
    [InlineData("a/./b.mp4")]
    [InlineData("videos/../../frames/x.mp4")]
    public async Task Dot_segments_resolved_by_the_blob_client_never_lead_outside_videos(string name)
    {
        await Fixture.ClearQueueAsync();
        var before = await SnapshotAsync();

        await App.UploadedAsync(name);

        var added = (await SnapshotAsync()).Except(before).ToList();
        Assert.All(added, blob => Assert.StartsWith("jobs/", blob, StringComparison.Ordinal));
        foreach (var record in added)
        {
            Assert.Equal(JobStatus.Failed, (await Fixture.ReadJobAsync(record["jobs/".Length..^".json".Length])).Status);
        }

        Assert.Empty(await Fixture.QueuedMessagesAsync());
    }

    [Fact]
    public async Task An_upload_whose_blob_is_gone_fails_with_source_not_found()
    {
        await Fixture.ClearQueueAsync();
        await App.UploadedAsync("never-uploaded.mp4");

        var job = await Fixture.ReadJobAsync(UploadJob("never-uploaded.mp4", "none").Value);
        Assert.Equal(JobErrorCodes.SourceNotFound, job.Error!.Code);
        Assert.Empty(await Fixture.QueuedMessagesAsync());
    }

    [Fact]
    public async Task Blobs_of_other_containers_are_ignored()
    {
        await Fixture.Container("scored").CreateIfNotExistsAsync();
        await Fixture.Container("scored").GetBlobClient("x.mp4").UploadAsync(BinaryData.FromString("not an input"), overwrite: true);
        var before = await SnapshotAsync();

        var outcome = await App.Activate<IngestService>().IngestUploadAsync(Fixture.Container("scored").GetBlobClient("x.mp4"), CancellationToken.None);

        Assert.Equal(IngestDisposition.Ignored, outcome.Disposition);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task Blobs_staged_by_SubmitJob_start_no_second_job()
    {
        await Fixture.ClearQueueAsync();
        await using var file = File.OpenRead(Fixture.Media.ShortClip);
        await Fixture.Container("videos").GetBlobClient("submitted/abc").UploadAsync(file, BlobUpload.As(
            "video/mp4", metadata: new Dictionary<string, string> { [IngestService.IngestMetadataKey] = IngestService.SubmittedMarker }));
        var before = await SnapshotAsync();

        var outcome = await App.Activate<IngestService>().IngestUploadAsync(Fixture.Container("videos").GetBlobClient("submitted/abc"), CancellationToken.None);
        await App.UploadedAsync("submitted/abc");

        Assert.Equal(IngestDisposition.Skipped, outcome.Disposition);
        Assert.Equal(before, await SnapshotAsync());
        Assert.Empty(await Fixture.QueuedMessagesAsync());
    }

    private async Task<JobRecord> WritePendingRecordAsync(JobId id, string blobName, ETag etag, DateTimeOffset at)
    {
        await Fixture.Container(StorageNames.JobsContainer).CreateIfNotExistsAsync();
        var pending = new JobRecord
        {
            Id = id, Status = JobStatus.Queued, CreatedAt = at, UpdatedAt = at, Parameters = JobParameters.ForBlobCreated.Normalize(),
            Source = new JobSource { Kind = "blob", Container = "videos", BlobName = blobName, ETag = etag.ToString() },
        };
        await new JobStore(Fixture.Storage).CreateAsync(pending);
        return pending;
    }

    /// <summary>Every timer fires at once: the ingest deadline has passed as soon as it starts.</summary>
    private sealed class ExpiredTimers : TimeProvider
    {
        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
            System.CreateTimer(callback, state, TimeSpan.Zero, period);
    }
}
