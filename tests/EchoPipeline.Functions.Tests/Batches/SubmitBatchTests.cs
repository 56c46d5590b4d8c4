using System.Text.Json.Nodes;
using EchoPipeline.Functions.Batches;
using EchoPipeline.Functions.Tests.Support;
using EchoPipeline.Ingest;
using EchoPipeline.Jobs;
using EchoPipeline.Jobs.Batches;
using EchoPipeline.Jobs.Storage;
using Microsoft.Extensions.Options;

namespace EchoPipeline.Functions.Tests.Batches;

/// <summary>SubmitBatch and GetBatch invoked with requests on a DefaultHttpContext, against Azurite and real FFmpeg.</summary>
[Collection(PipelineTests.Name)]
public class SubmitBatchTests(PipelineFixture fixture) : FunctionTests(fixture)
{
    private static JsonObject Item(string blob, int steps) => new() { ["source"] = new JsonObject { ["blob"] = blob }, ["steps"] = steps };

    [Fact]
    public async Task A_batch_creates_every_job_at_once_with_one_status_url_and_a_retry_finds_the_same_batch()
    {
        await Fixture.ClearQueueAsync();
        var video = await Fixture.UploadVideoAsync("batch/clip.mp4", Fixture.Media.ShortClip);
        var still = await Fixture.UploadVideoAsync("batch/still.png", Fixture.Media.Still);
        var body = new JsonObject
        {
            ["items"] = new JsonArray(Item("batch/clip.mp4", 3), Item("batch/still.png", 3), Item("batch/still.png", 5)),
            ["callbackUrl"] = "https://hooks.example.com/batch?token=s3cret",
        }.ToJsonString();

        var reply = await App.SubmitBatchAsync(body);

        JobId Expected(string blob, Azure.ETag etag, int steps) => JobId.Derive(SourceIdentity.ForBlob("videos", blob, etag.ToString()), new JobParameters { Steps = steps }.Normalize(), IngestOptions.DefaultBundleId);
        JobId[] ids = [Expected("batch/clip.mp4", video, 3), Expected("batch/still.png", still, 3), Expected("batch/still.png", still, 5)];
        var batchId = BatchId.Derive(ids, new Uri("https://hooks.example.com/batch?token=s3cret")).Value;
        Assert.Equal(202, reply.StatusCode);
        Assert.Equal(batchId, reply.Json.GetProperty("batchId").GetString());
        Assert.Equal($"http://localhost:7071/api/jobs:batch/{batchId}", reply.Json.GetProperty("statusUrl").GetString());
        Assert.Equal(reply.Json.GetProperty("statusUrl").GetString(), reply.Headers["Location"]);
        Assert.Equal(ids.Select(i => i.Value), reply.Json.GetProperty("jobs").EnumerateArray().Select(j => j.GetProperty("jobId").GetString()));
        Assert.All(reply.Json.GetProperty("jobs").EnumerateArray(), j => Assert.Equal("queued", j.GetProperty("status").GetString()));
        Assert.Equal(ids.Select(i => i.Value).Order(StringComparer.Ordinal), (await Fixture.QueuedMessagesAsync()).Select(m => m.JobId.Value).Order(StringComparer.Ordinal));
        foreach (var id in ids)
        {
            Assert.Contains($"batch-members/{id}/{batchId}", await Fixture.ListAsync(StorageNames.JobsContainer, $"batch-members/{id}/"));
        }

        var again = await App.SubmitBatchAsync(body);
        Assert.Equal((202, batchId, true), (again.StatusCode, again.Json.GetProperty("batchId").GetString(), again.Json.GetProperty("duplicate").GetBoolean()));
        Assert.Equal(3, (await Fixture.QueuedMessagesAsync()).Count);

        var status = await App.GetBatchAsync(batchId);
        Assert.Equal(200, status.StatusCode);
        Assert.Equal("running", status.Json.GetProperty("status").GetString());
        Assert.Equal(3, status.Json.GetProperty("counts").GetProperty("queued").GetInt32());
        Assert.Equal("https://hooks.example.com/batch", status.Json.GetProperty("callbackUrl").GetString());
    }

    [Fact]
    public async Task A_batch_whose_jobs_all_failed_at_ingest_is_complete_at_once_and_nudges_the_worker_for_its_webhook()
    {
        await Fixture.ClearQueueAsync();
        var etag = await Fixture.UploadVideoAsync("batch/truncated.mp4", Fixture.Media.Truncated);
        var body = new JsonObject { ["items"] = new JsonArray(Item("batch/truncated.mp4", 2)), ["callbackUrl"] = "https://hooks.example.com/b" }.ToJsonString();

        var reply = await App.SubmitBatchAsync(body);

        var job = JobId.Derive(SourceIdentity.ForBlob("videos", "batch/truncated.mp4", etag.ToString()), new JobParameters { Steps = 2 }.Normalize(), IngestOptions.DefaultBundleId);
        Assert.Equal(202, reply.StatusCode);
        Assert.Equal("completed", reply.Json.GetProperty("status").GetString());
        Assert.Equal("failed", reply.Json.GetProperty("jobs")[0].GetProperty("status").GetString());
        var status = await App.GetBatchAsync(reply.Json.GetProperty("batchId").GetString()!);
        Assert.Equal(1, status.Json.GetProperty("counts").GetProperty("failed").GetInt32());
        Assert.Equal("pending", status.Json.GetProperty("callback").GetProperty("status").GetString());
        // The worker acknowledges a finished job's message and sends the webhooks of the batches it completes.
        Assert.Equal(JobMessage.For(job), Assert.Single(await Fixture.QueuedMessagesAsync()));
    }

    public static TheoryData<string, string> InvalidBodies => new()
    {
        { "", "items" },
        { """{"items": []}""", "items" },
        { """{"items": [{"source": {"blob": "a.png"}}], "extra": 1}""", "body" },
        { """{"items": [{"source": {"blob": "a.png"}}, {"steps": 0, "source": {"blob": "b.png"}}]}""", "items[1].steps" },
        { """{"items": [{"source": {"blob": "../a.png"}}]}""", "items[0].source.blob" },
        { """{"items": [{"source": {"blob": "a.png"}, "callbackUrl": "https://x.example.com/"}]}""", "items[0].callbackUrl" },
        { """{"items": [{"source": {"blob": "a.png"}}], "callbackUrl": "ftp://x.example.com/"}""", "callbackUrl" },
        { """{"items": [{"source": {"blob": "a.png"}}, {"source": {"blob": "b.png"}}, {"source": {"blob": "c.png"}}]}""", "items" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task An_invalid_batch_is_refused_naming_the_field_and_creates_nothing(string body, string field)
    {
        await using var app = Fixture.StartApp(new Dictionary<string, string?> { ["Batch:MaxItems"] = "2" });
        var before = await SnapshotAsync();

        var reply = await app.SubmitBatchAsync(body);

        Assert.Equal(400, reply.StatusCode);
        Assert.Contains(reply.Json.GetProperty("errors").EnumerateArray(), e => e.GetProperty("field").GetString() == field);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task A_missing_blob_is_refused_before_any_job_is_made()
    {
        await Fixture.UploadVideoAsync("batch/present.png", Fixture.Media.Still);
        var before = await SnapshotAsync();

        var reply = await App.SubmitBatchAsync(new JsonObject { ["items"] = new JsonArray(Item("batch/present.png", 2), Item("batch/absent.png", 2)) }.ToJsonString());

        Assert.Equal(400, reply.StatusCode);
        Assert.Equal("source_not_found", reply.Json.GetProperty("error").GetString());
        Assert.Equal("items[1].source.blob", reply.Json.GetProperty("errors")[0].GetProperty("field").GetString());
        Assert.Equal(before, await SnapshotAsync());
    }

    [Theory]
    [InlineData("nothex", 400, "invalid_batch_id")]
    [InlineData("0123456789abcdef0123456789abcdef", 404, "batch_not_found")]
    public async Task Status_of_a_malformed_or_unknown_batch_says_which(string id, int status, string code)
    {
        var reply = await App.GetBatchAsync(id);

        Assert.Equal((status, code), (reply.StatusCode, reply.Json.GetProperty("error").GetString()));
    }

    [Fact]
    public async Task A_batch_limit_out_of_range_stops_the_app_at_start()
    {
        await using var app = Fixture.StartApp(new Dictionary<string, string?> { ["Batch:MaxItems"] = "0" });

        var failure = Assert.Throws<OptionsValidationException>(() => app.Services.GetRequiredService<IOptions<BatchOptions>>().Value);

        Assert.Contains("MaxItems", failure.Message, StringComparison.Ordinal);
    }
}
