using System.Text.Json;
using System.Text.Json.Nodes;
using EchoPipeline.Functions.Ingest;
using EchoPipeline.Functions.Tests.Support;
using EchoPipeline.Jobs;
using EchoPipeline.Jobs.Storage;
using EchoPipeline.Testing;

namespace EchoPipeline.Functions.Tests.Functions;

[Collection(PipelineTests.Name)]
public class OnVideoUploadedTests(PipelineFixture fixture)
{
    private const string Function = "OnVideoUploaded";

    [Fact]
    public async Task An_upload_becomes_a_queued_job_with_its_frame_and_one_claim_check_message()
    {
        await fixture.ClearQueueAsync();
        var etag = await fixture.UploadVideoAsync("upload/clip.mp4", fixture.Media.ShortClip);

        var (status, reply) = await fixture.Handler.InvokeAsync(Function, HostPayloads.EventGridTrigger(BlobEvents.EventGrid("upload/clip.mp4", etag.ToString())));

        Assert.Equal(200, status);
        var id = JobId.Derive(SourceIdentity.ForBlob("videos", "upload/clip.mp4", etag.ToString()), JobParameters.ForBlobCreated);
        Assert.Contains(reply.GetProperty("Logs").EnumerateArray(), l => l.GetString()!.Contains(id.Value, StringComparison.Ordinal));
        var job = await fixture.ReadJobAsync(id.Value);
        Assert.Equal(JobStatus.Queued, job.Status);
        Assert.NotNull(job.EnqueuedAt);
        Assert.Equal(("video", 320, 240), (job.Media!.Kind, job.Media.Width, job.Media.Height));
        Assert.Equal(4, job.Media.DurationSeconds, 1);
        Assert.Equal(etag.ToString(), job.Source.ETag);
        Assert.Equal(64, job.Source.ContentSha256!.Length);
        Assert.Equal(JobParameters.ForBlobCreated.ResolveSeed(id), job.Parameters.Seed);
        var segment = Assert.Single(job.Segments);
        Assert.Equal(2, segment.FrameAtSeconds, 2);

        var png = (await fixture.Container("frames").GetBlobClient(segment.FramePng).DownloadContentAsync()).Value.Content.ToArray();
        Assert.Equal((256, 256), Png.Size(png));
        var raw = (await fixture.Container("frames").GetBlobClient(segment.FrameRaw!).DownloadContentAsync()).Value.Content.ToArray();
        Assert.Equal(256 * 256 * 3, raw.Length);
        Assert.Equal(JobMessage.For(id), Assert.Single(await fixture.QueuedMessagesAsync()));
    }

    [Fact]
    public async Task A_duplicate_event_finds_the_existing_job_and_enqueues_nothing()
    {
        await fixture.ClearQueueAsync();
        var etag = await fixture.UploadVideoAsync("dup.mp4", fixture.Media.ShortClip);
        var gridEvent = BlobEvents.EventGrid("dup.mp4", etag.ToString());

        await fixture.Handler.InvokeAsync(Function, HostPayloads.EventGridTrigger(gridEvent));
        var id = JobId.Derive(SourceIdentity.ForBlob("videos", "dup.mp4", etag.ToString()), JobParameters.ForBlobCreated);
        var first = await fixture.ReadJobAsync(id.Value);
        var (status, reply) = await fixture.Handler.InvokeAsync(Function, HostPayloads.EventGridTrigger(gridEvent, asString: true));

        Assert.Equal(200, status);
        Assert.Contains(reply.GetProperty("Logs").EnumerateArray(), l => l.GetString()!.Contains("existing", StringComparison.Ordinal));
        Assert.Single(await fixture.QueuedMessagesAsync());
        Assert.Equal(first.UpdatedAt, (await fixture.ReadJobAsync(id.Value)).UpdatedAt);
    }

    [Fact]
    public async Task A_job_whose_message_never_went_out_is_enqueued_by_the_retried_event()
    {
        await fixture.ClearQueueAsync();
        var etag = await fixture.UploadVideoAsync("crashed.mp4", fixture.Media.ShortClip);
        var id = JobId.Derive(SourceIdentity.ForBlob("videos", "crashed.mp4", etag.ToString()), JobParameters.ForBlobCreated);
        var at = DateTimeOffset.UnixEpoch;
        await fixture.Container(StorageNames.JobsContainer).CreateIfNotExistsAsync();
        await new JobStore(fixture.Storage).CreateAsync(new JobRecord
        {
            Id = id, Status = JobStatus.Queued, CreatedAt = at, UpdatedAt = at, Parameters = JobParameters.ForBlobCreated.Normalize(),
            Source = new JobSource { Kind = "blob", Container = "videos", BlobName = "crashed.mp4", ETag = etag.ToString() },
        });

        await fixture.Handler.InvokeAsync(Function, HostPayloads.EventGridTrigger(BlobEvents.EventGrid("crashed.mp4", etag.ToString())));

        Assert.Equal(JobMessage.For(id), Assert.Single(await fixture.QueuedMessagesAsync()));
        Assert.NotNull((await fixture.ReadJobAsync(id.Value)).EnqueuedAt);
    }

    [Fact]
    public async Task Unreachable_storage_fails_the_invocation_so_the_host_retries_it()
    {
        await using var broken = await fixture.StartHandlerAsync(new Dictionary<string, string?>
        {
            ["EchoStorage"] = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + EchoPipeline.LocalServices.AzuriteServer.AccountKey +
                ";BlobEndpoint=http://127.0.0.1:9/devstoreaccount1;QueueEndpoint=http://127.0.0.1:9/devstoreaccount1;",
        });

        var (status, reply) = await broken.InvokeAsync(Function, HostPayloads.EventGridTrigger(BlobEvents.EventGrid("any.mp4", "0x1")));

        Assert.Equal(500, status);
        Assert.Contains("OnVideoUploaded failed", reply.GetProperty("Logs")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_overwritten_blob_is_a_new_job()
    {
        await fixture.ClearQueueAsync();
        var first = await fixture.UploadVideoAsync("overwritten.mp4", fixture.Media.ShortClip);
        await fixture.Handler.InvokeAsync(Function, HostPayloads.EventGridTrigger(BlobEvents.EventGrid("overwritten.mp4", first.ToString())));
        var second = await fixture.UploadVideoAsync("overwritten.mp4", fixture.Media.Still);
        await fixture.Handler.InvokeAsync(Function, HostPayloads.EventGridTrigger(BlobEvents.EventGrid("overwritten.mp4", second.ToString())));

        var messages = await fixture.QueuedMessagesAsync();
        Assert.Equal(2, messages.Select(m => m.JobId).Distinct().Count());
    }

    [Fact]
    public async Task A_cloudevents_delivery_is_ingested_the_same_way()
    {
        var etag = await fixture.UploadVideoAsync("cloud event.mp4", fixture.Media.ShortClip);
        var (status, _) = await fixture.Handler.InvokeAsync(Function, HostPayloads.EventGridTrigger(BlobEvents.CloudEvent("cloud event.mp4", etag.ToString()), asString: true));

        Assert.Equal(200, status);
        var id = JobId.Derive(SourceIdentity.ForBlob("videos", "cloud event.mp4", etag.ToString()), JobParameters.ForBlobCreated);
        Assert.Equal(JobStatus.Queued, (await fixture.ReadJobAsync(id.Value)).Status);
    }

    [Fact]
    public async Task A_long_video_is_one_job_with_a_frame_per_window()
    {
        var etag = await fixture.UploadVideoAsync("colours.mp4", fixture.Media.ThreeColours);
        await fixture.Handler.InvokeAsync(Function, HostPayloads.EventGridTrigger(BlobEvents.EventGrid("colours.mp4", etag.ToString())));

        var id = JobId.Derive(SourceIdentity.ForBlob("videos", "colours.mp4", etag.ToString()), JobParameters.ForBlobCreated);
        var job = await fixture.ReadJobAsync(id.Value);
        // Windows of W = 217088/22050 s (9.8453) every S = 184320/22050 s (8.3592, the engine's continuation
        // stride): [0, W], [S, S + W], [2S, 25]; frames at their middles.
        const double W = 217088.0 / 22050, S = 184320.0 / 22050;
        double[] expectedAt = [W / 2, S + (W / 2), ((2 * S) + 25) / 2];
        Assert.Equal(expectedAt.Length, job.Segments.Count);
        foreach (var (segment, at) in job.Segments.Zip(expectedAt))
        {
            Assert.Equal(at, segment.FrameAtSeconds, 0.01);
        }

        (byte R, byte G, byte B)[] expected = [(255, 0, 0), (0, 128, 0), (0, 0, 255)];
        foreach (var (segment, colour) in job.Segments.Zip(expected))
        {
            var raw = (await fixture.Container("frames").GetBlobClient(segment.FrameRaw!).DownloadContentAsync()).Value.Content.ToArray();
            var centre = ((128 * 256) + 128) * 3;
            Assert.InRange(raw[centre], colour.R - 8, colour.R + 8);
            Assert.InRange(raw[centre + 1], colour.G - 8, colour.G + 8);
            Assert.InRange(raw[centre + 2], colour.B - 8, colour.B + 8);
        }
    }

    [Fact]
    public async Task A_still_image_is_one_segment()
    {
        var etag = await fixture.UploadVideoAsync("still.png", fixture.Media.Still);
        await fixture.Handler.InvokeAsync(Function, HostPayloads.EventGridTrigger(BlobEvents.EventGrid("still.png", etag.ToString())));

        var job = await fixture.ReadJobAsync(JobId.Derive(SourceIdentity.ForBlob("videos", "still.png", etag.ToString()), JobParameters.ForBlobCreated).Value);
        Assert.Equal(JobStatus.Queued, job.Status);
        Assert.Equal(("image", 640, 480), (job.Media!.Kind, job.Media.Width, job.Media.Height));
        Assert.Single(job.Segments);
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
        await fixture.ClearQueueAsync();
        var path = Path.Combine(fixture.TempDirectory, $"bad-{kind}");
        switch (kind)
        {
            case "empty": await File.WriteAllBytesAsync(path, []); break;
            case "text": await File.WriteAllTextAsync(path, "this is a shopping list, not a video\n"); break;
            case "truncated": File.Copy(fixture.Media.Truncated, path, true); break;
            case "audio": File.Copy(fixture.Media.AudioOnly, path, true); break;
            case "sliver": File.Copy(fixture.Media.Sliver, path, true); break;
            case "twohours": File.Copy(fixture.Media.TwoHours, path, true); break;
            // A playlist that would have FFmpeg read the server's own files (the review's finding).
            case "hls": await File.WriteAllTextAsync(path, HostileMedia.HlsPlaylist(fixture.Media.ShortClip)); break;
            case "ffconcat": await File.WriteAllTextAsync(path, HostileMedia.FfconcatScript(fixture.Media.ShortClip)); break;
            case "sdp": await File.WriteAllTextAsync(path, HostileMedia.SdpDescription()); break;
            case "bomb": await File.WriteAllBytesAsync(path, HostileMedia.PngDeclaring(40000, 40000)); break;
        }

        var name = $"bad/{kind}.mp4";
        var etag = await fixture.UploadVideoAsync(name, path);
        var (status, _) = await fixture.Handler.InvokeAsync(Function, HostPayloads.EventGridTrigger(BlobEvents.EventGrid(name, etag.ToString())));

        Assert.Equal(200, status);
        var id = JobId.Derive(SourceIdentity.ForBlob("videos", name, etag.ToString()), JobParameters.ForBlobCreated);
        var job = await fixture.ReadJobAsync(id.Value);
        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Equal(code, job.Error!.Code);
        Assert.Contains(name, job.Error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.TempDirectory, job.Error.Message, StringComparison.Ordinal);
        Assert.Empty(await fixture.QueuedMessagesAsync());
        Assert.Empty(await fixture.ListAsync("frames", id.Value));
    }

    [Fact]
    public async Task An_upload_over_the_size_limit_fails_without_being_downloaded()
    {
        await fixture.ClearQueueAsync();
        await using var small = await fixture.StartHandlerAsync(new Dictionary<string, string?> { ["Media:MaxBytes"] = "1000" });
        var etag = await fixture.UploadVideoAsync("big.mp4", fixture.Media.ShortClip);

        await small.InvokeAsync(Function, HostPayloads.EventGridTrigger(BlobEvents.EventGrid("big.mp4", etag.ToString())));

        var job = await fixture.ReadJobAsync(JobId.Derive(SourceIdentity.ForBlob("videos", "big.mp4", etag.ToString()), JobParameters.ForBlobCreated).Value);
        Assert.Equal(("too_large", false), (job.Error!.Code, job.Timings.ContainsKey("download")));
        Assert.Contains("Media:MaxBytes", job.Error.Message, StringComparison.Ordinal);
        Assert.Empty(await fixture.QueuedMessagesAsync());
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
        var etag = await fixture.UploadVideoAsync(name, fixture.Media.ShortClip);
        var (status, _) = await fixture.Handler.InvokeAsync(Function, HostPayloads.EventGridTrigger(BlobEvents.EventGrid(name, etag.ToString())));

        Assert.Equal(200, status);
        var id = JobId.Derive(SourceIdentity.ForBlob("videos", name, etag.ToString()), JobParameters.ForBlobCreated);
        var job = await fixture.ReadJobAsync(id.Value);
        Assert.Equal(JobStatus.Queued, job.Status);
        Assert.Equal(name, job.Source.BlobName);
        Assert.Equal([$"{id}/0000.png", $"{id}/0000.rgb24"], await fixture.ListAsync("frames", id.Value));
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(fixture.TempDirectory, "*", SearchOption.AllDirectories),
            p => p.Contains("echo-ingest", StringComparison.Ordinal) && Path.GetFileName(p) != "echo-ingest");
    }

    public static TheoryData<string> HostileNames => new()
    {
        "../jobs/evil.mp4",
        "a/./b.mp4",
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
        await fixture.ClearQueueAsync();
        var before = await SnapshotAsync();

        var (status, _) = await fixture.Handler.InvokeAsync(Function, HostPayloads.EventGridTrigger(BlobEvents.EventGrid(name, "0x8DEADBEEF")));

        Assert.Equal(200, status);
        var id = JobId.Derive(SourceIdentity.ForBlob("videos", name, "0x8DEADBEEF"), JobParameters.ForBlobCreated);
        var job = await fixture.ReadJobAsync(id.Value);
        Assert.Equal((JobStatus.Failed, JobErrorCodes.InvalidBlobName), (job.Status, job.Error!.Code));
        Assert.Contains("Rename the file", job.Error.Message, StringComparison.Ordinal);
        Assert.True(job.Source.BlobName.Length <= 1025);
        Assert.Empty(await fixture.QueuedMessagesAsync());
        var after = await SnapshotAsync();
        Assert.Equal([$"jobs/{id}.json"], after.Except(before));
        Assert.Empty(before.Except(after));
    }

    [Fact]
    public async Task An_event_for_a_deleted_blob_fails_with_source_not_found()
    {
        await fixture.ClearQueueAsync();
        var (status, _) = await fixture.Handler.InvokeAsync(Function, HostPayloads.EventGridTrigger(BlobEvents.EventGrid("never-uploaded.mp4", "0x8D1")));

        Assert.Equal(200, status);
        var job = await fixture.ReadJobAsync(JobId.Derive(SourceIdentity.ForBlob("videos", "never-uploaded.mp4", "0x8D1"), JobParameters.ForBlobCreated).Value);
        Assert.Equal(JobErrorCodes.SourceNotFound, job.Error!.Code);
        Assert.Empty(await fixture.QueuedMessagesAsync());
    }

    [Fact]
    public async Task Events_for_other_containers_and_other_types_are_ignored()
    {
        var before = await SnapshotAsync();
        var other = BlobEvents.EventGrid("x.mp4", "0x1", container: "scored");
        var deleted = BlobEvents.EventGrid("x.mp4", "0x1");
        deleted["eventType"] = "Microsoft.Storage.BlobDeleted";

        Assert.Equal(200, (await fixture.Handler.InvokeAsync(Function, HostPayloads.EventGridTrigger(other))).Status);
        Assert.Equal(200, (await fixture.Handler.InvokeAsync(Function, HostPayloads.EventGridTrigger(deleted))).Status);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task A_malformed_event_is_logged_and_completes_without_writing()
    {
        var before = await SnapshotAsync();
        var noSubject = BlobEvents.EventGrid("x.mp4", "0x1");
        noSubject.Remove("subject");

        var (status, reply) = await fixture.Handler.InvokeAsync(Function, HostPayloads.EventGridTrigger(noSubject));

        Assert.Equal(200, status);
        Assert.Contains("subject", reply.GetProperty("Logs")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task Blobs_staged_by_SubmitJob_start_no_second_job()
    {
        await fixture.ClearQueueAsync();
        await using var file = File.OpenRead(fixture.Media.ShortClip);
        var staged = (await fixture.Container("videos").GetBlobClient("submitted/abc").UploadAsync(file, BlobUpload.As(
            "video/mp4", metadata: new Dictionary<string, string> { [IngestService.IngestMetadataKey] = IngestService.SubmittedMarker }))).Value.ETag;
        var before = await SnapshotAsync();

        var (status, reply) = await fixture.Handler.InvokeAsync(Function, HostPayloads.EventGridTrigger(BlobEvents.EventGrid("submitted/abc", staged.ToString())));

        Assert.Equal(200, status);
        Assert.Contains("skipped", reply.GetProperty("Logs")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync());
        Assert.Empty(await fixture.QueuedMessagesAsync());
    }

    [Fact]
    public async Task A_payload_without_the_trigger_binding_is_refused_to_the_host()
    {
        var (status, reply) = await fixture.Handler.InvokeAsync(Function, new JsonObject { ["Data"] = new JsonObject(), ["Metadata"] = new JsonObject() });

        Assert.Equal(400, status);
        Assert.Contains("eventGridEvent", reply.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    private async Task<IReadOnlyList<string>> SnapshotAsync()
    {
        var all = new List<string>();
        foreach (var container in StorageNames.Containers)
        {
            all.AddRange((await fixture.ListAsync(container)).Select(n => $"{container}/{n}"));
        }

        return all;
    }
}
