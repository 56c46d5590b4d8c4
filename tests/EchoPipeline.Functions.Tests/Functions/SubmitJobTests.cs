using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using EchoPipeline.Functions.Functions;
using EchoPipeline.Ingest;
using EchoPipeline.Functions.Tests.Support;
using EchoPipeline.Jobs;

namespace EchoPipeline.Functions.Tests.Functions;

/// <summary>SubmitJob invoked with a request on a DefaultHttpContext; its IActionResult executed into a response.</summary>
[Collection(PipelineTests.Name)]
public class SubmitJobTests(PipelineFixture fixture) : FunctionTests(fixture)
{
    private static string Json(JsonObject body) => body.ToJsonString();

    [Fact]
    public async Task A_blob_submission_is_accepted_with_the_job_id_and_a_status_url()
    {
        await Fixture.ClearQueueAsync();
        var etag = await Fixture.UploadVideoAsync("submit/blob.mp4", Fixture.Media.ShortClip);
        var body = new JsonObject
        {
            ["source"] = new JsonObject { ["blob"] = "submit/blob.mp4" },
            ["steps"] = 12, ["temperature"] = 4.5, ["guidance"] = 1, ["seed"] = 42, ["variations"] = 2,
            ["outputs"] = new JsonArray("spectrogram", "scoredVideo"), ["callbackUrl"] = "https://hooks.example.com/echo",
        };

        var reply = await App.SubmitJobAsync(Json(body));

        var parameters = new JobParameters
        {
            Steps = 12, Temperature = 4.5, Guidance = 1, Seed = 42, Variations = 2,
            Outputs = ["scoredVideo", "spectrogram"], CallbackUrl = new Uri("https://hooks.example.com/echo"),
        };
        var id = JobId.Derive(SourceIdentity.ForBlob("videos", "submit/blob.mp4", etag.ToString()), parameters, IngestOptions.DefaultBundleId).Value;
        Assert.Equal(202, reply.StatusCode);
        Assert.Equal(id, reply.Json.GetProperty("jobId").GetString());
        Assert.Equal("queued", reply.Json.GetProperty("status").GetString());
        Assert.Equal($"http://localhost:7071/api/jobs/{id}", reply.Json.GetProperty("statusUrl").GetString());
        Assert.Equal($"http://localhost:7071/api/jobs/{id}", reply.Headers["Location"]);
        Assert.False(reply.Json.GetProperty("duplicate").GetBoolean());
        var job = await Fixture.ReadJobAsync(id);
        Assert.Equal(["wav", "scoredVideo", "spectrogram"], job.Parameters.Outputs);
        Assert.Equal((12, 4.5, 1.0, 42L, 2), (job.Parameters.Steps, job.Parameters.Temperature, job.Parameters.Guidance, job.Parameters.Seed, job.Parameters.Variations));

        var again = await App.SubmitJobAsync(Json(body));
        Assert.Equal(202, again.StatusCode);
        Assert.True(again.Json.GetProperty("duplicate").GetBoolean());
        Assert.Equal(JobMessage.For(JobId.Parse(id)), Assert.Single(await Fixture.QueuedMessagesAsync()));
    }

    public static TheoryData<string, string> InvalidBodies => new()
    {
        { "", "body" },
        { "[]", "body" },
        { """{"steps": 10}""", "source" },
        { """{"source": {"blob": "a.mp4", "url": "https://x/y"}}""", "source" },
        { """{"source": {"blob": "../a.mp4"}}""", "source.blob" },
        { """{"source": {"url": "ftp://example.com/a.mp4"}}""", "source.url" },
        { """{"source": {"url": "not a url"}}""", "source.url" },
        { """{"source": {"blob": "a.mp4"}, "steps": 0}""", "steps" },
        { """{"source": {"blob": "a.mp4"}, "steps": "many"}""", "steps" },
        { """{"source": {"blob": "a.mp4"}, "temperature": -1}""", "temperature" },
        { """{"source": {"blob": "a.mp4"}, "guidance": 1000}""", "guidance" },
        { """{"source": {"blob": "a.mp4"}, "seed": -5}""", "seed" },
        { """{"source": {"blob": "a.mp4"}, "variations": 50}""", "variations" },
        { """{"source": {"blob": "a.mp4"}, "outputs": ["wav", "midi"]}""", "outputs" },
        { """{"source": {"blob": "a.mp4"}, "callbackUrl": "/relative"}""", "callbackUrl" },
        { """{"source": {"blob": "a.mp4"}, "colour": "blue"}""", "colour" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task An_invalid_request_is_400_naming_the_field(string body, string field)
    {
        var reply = await App.SubmitJobAsync(body);

        Assert.Equal(400, reply.StatusCode);
        var errors = reply.Json.GetProperty("errors").EnumerateArray().ToList();
        Assert.Contains(errors, e => e.GetProperty("field").GetString() == field);
        Assert.Contains(field, reply.Json.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_blob_is_400_on_source_blob()
    {
        var reply = await App.SubmitJobAsync("""{"source": {"blob": "no/such/blob.mp4"}}""");

        Assert.Equal(400, reply.StatusCode);
        Assert.Equal(JobErrorCodes.SourceNotFound, reply.Json.GetProperty("error").GetString());
        Assert.Equal("source.blob", reply.Json.GetProperty("errors")[0].GetProperty("field").GetString());
    }

    [Fact]
    public async Task An_input_that_is_not_a_video_is_recorded_as_failed_and_answered_422()
    {
        var path = Path.Combine(Fixture.TempDirectory, "notes.txt");
        await File.WriteAllTextAsync(path, "not a video");
        await Fixture.UploadVideoAsync("submit/notes.mp4", path);

        var reply = await App.SubmitJobAsync("""{"source": {"blob": "submit/notes.mp4"}}""");

        Assert.Equal(422, reply.StatusCode);
        Assert.Equal("failed", reply.Json.GetProperty("status").GetString());
        Assert.Equal("not_media", reply.Json.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(JobStatus.Failed, (await Fixture.ReadJobAsync(reply.Json.GetProperty("jobId").GetString()!)).Status);
    }

    [Fact]
    public async Task A_url_is_downloaded_staged_and_identified_by_its_content_hash()
    {
        await Fixture.ClearQueueAsync();
        var bytes = await File.ReadAllBytesAsync(Fixture.Media.ShortClip);
        await using var server = await SourceServer.StartAsync(new Dictionary<string, byte[]> { ["clip.mp4"] = bytes });
        var body = new JsonObject { ["source"] = new JsonObject { ["url"] = server.Url("/redirect/clip.mp4").ToString() }, ["seed"] = 7 };

        var reply = await App.SubmitJobAsync(Json(body));

        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var id = JobId.Derive(SourceIdentity.ForContent(sha), new JobParameters { Seed = 7 }, IngestOptions.DefaultBundleId).Value;
        Assert.Equal(202, reply.StatusCode);
        Assert.Equal(id, reply.Json.GetProperty("jobId").GetString());
        var job = await Fixture.ReadJobAsync(id);
        Assert.Equal(("url", $"submitted/{sha}", sha), (job.Source.Kind, job.Source.BlobName, job.Source.ContentSha256));
        var staged = (await Fixture.Container("videos").GetBlobClient($"submitted/{sha}").GetPropertiesAsync()).Value;
        Assert.Equal(bytes.Length, staged.ContentLength);
        Assert.Equal(IngestService.SubmittedMarker, staged.Metadata[IngestService.IngestMetadataKey]);

        // The staged upload's own BlobCreated event must not start a second job.
        await App.UploadedAsync($"submitted/{sha}");
        Assert.Equal(JobMessage.For(JobId.Parse(id)), Assert.Single(await Fixture.QueuedMessagesAsync()));
    }

    [Fact]
    public async Task The_job_id_and_record_name_the_deployed_bundle_and_unset_sampling_stays_unset()
    {
        await Fixture.ClearQueueAsync();
        var etag = await Fixture.UploadVideoAsync("submit/bundle.mp4", Fixture.Media.ShortClip);
        await using var other = Fixture.StartApp(new Dictionary<string, string?> { ["Ingest:BundleId"] = "scored-videos-7" });

        var reply = await other.SubmitJobAsync("""{"source": {"blob": "submit/bundle.mp4"}, "seed": 5}""");

        var identity = SourceIdentity.ForBlob("videos", "submit/bundle.mp4", etag.ToString());
        var parameters = new JobParameters { Seed = 5 }.Normalize();
        var id = JobId.Derive(identity, parameters, "scored-videos-7").Value;
        Assert.Equal(202, reply.StatusCode);
        Assert.Equal(id, reply.Json.GetProperty("jobId").GetString());
        Assert.NotEqual(JobId.Derive(identity, parameters, IngestOptions.DefaultBundleId).Value, id);
        var job = await Fixture.ReadJobAsync(id);
        Assert.Equal("scored-videos-7", job.BundleId);
        Assert.Equal(((int?)null, (double?)null, (double?)null), (job.Parameters.Steps, job.Parameters.Temperature, job.Parameters.Guidance));
        Assert.Null(job.Sampling);
    }

    [Fact]
    public async Task A_url_on_a_private_network_is_refused_unless_configured()
    {
        await Fixture.ClearQueueAsync();
        await using var server = await SourceServer.StartAsync(new Dictionary<string, byte[]> { ["clip.mp4"] = [1, 2, 3] });
        await using var strict = Fixture.StartApp(new Dictionary<string, string?> { ["Ingest:AllowPrivateNetworkSources"] = "false" });

        var reply = await strict.SubmitJobAsync(Json(new JsonObject { ["source"] = new JsonObject { ["url"] = server.Url("/files/clip.mp4").ToString() } }));
        var metadata = await strict.SubmitJobAsync("""{"source": {"url": "http://169.254.169.254/metadata/instance"}}""");
        var callback = await strict.SubmitJobAsync("""{"source": {"blob": "a.mp4"}, "callbackUrl": "http://127.0.0.1:9/hook"}""");

        Assert.Equal((400, JobErrorCodes.SourceRefused), (reply.StatusCode, reply.Json.GetProperty("error").GetString()));
        Assert.Contains("127.0.0.1", reply.Json.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("source.url", reply.Json.GetProperty("errors")[0].GetProperty("field").GetString());
        Assert.Equal((400, JobErrorCodes.SourceRefused), (metadata.StatusCode, metadata.Json.GetProperty("error").GetString()));
        Assert.Equal("callbackUrl", callback.Json.GetProperty("errors")[0].GetProperty("field").GetString());
        Assert.Empty(await Fixture.QueuedMessagesAsync());
    }

    [Fact]
    public async Task A_url_over_the_size_cap_or_missing_is_400_on_source_url()
    {
        await using var server = await SourceServer.StartAsync(new Dictionary<string, byte[]> { ["big.mp4"] = new byte[300_000] });
        await using var capped = Fixture.StartApp(new Dictionary<string, string?> { ["Ingest:MaxDownloadBytes"] = "100000" });

        var big = await capped.SubmitJobAsync(Json(new JsonObject { ["source"] = new JsonObject { ["url"] = server.Url("/files/big.mp4").ToString() } }));
        var missing = await capped.SubmitJobAsync(Json(new JsonObject { ["source"] = new JsonObject { ["url"] = server.Url("/files/gone.mp4").ToString() } }));

        Assert.Equal((400, JobErrorCodes.DownloadFailed), (big.StatusCode, big.Json.GetProperty("error").GetString()));
        Assert.Contains("100000 byte limit", big.Json.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal((400, JobErrorCodes.DownloadFailed), (missing.StatusCode, missing.Json.GetProperty("error").GetString()));
        Assert.Contains("404", missing.Json.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("source.url", missing.Json.GetProperty("errors")[0].GetProperty("field").GetString());
    }

    [Fact]
    public void Parsing_reports_every_bad_field_at_once()
    {
        var (request, errors) = SubmitJobRequest.Parse("""{"source": {"blob": "a.mp4"}, "steps": 0, "variations": 0, "outputs": ["gif"]}""", allowPrivateCallbacks: false);

        Assert.Null(request);
        Assert.Equal(["steps", "variations", "outputs"], errors.Select(e => e.Field));
    }

    [Fact]
    public void Parsing_keeps_the_json_path_of_a_type_error() =>
        Assert.Equal("source.url", Assert.Single(SubmitJobRequest.Parse("""{"source": {"url": 5}}""", false).Errors).Field);
}
