using EchoPipeline.Functions.Tests.Support;
using EchoPipeline.Jobs;

namespace EchoPipeline.Functions.Tests.Functions;

[Collection(PipelineTests.Name)]
public class GetJobTests(PipelineFixture fixture)
{
    private static HttpTriggerCall Get(string id) =>
        new("GET", $"http://localhost:7071/api/jobs/{Uri.EscapeDataString(id)}") { Params = { ["id"] = id } };

    [Fact]
    public async Task A_known_job_is_returned_as_stored_with_its_etag()
    {
        var etag = await fixture.UploadVideoAsync("getjob.mp4", fixture.Media.ShortClip);
        await fixture.Handler.InvokeAsync("OnVideoUploaded", HostPayloads.EventGridTrigger(BlobEvents.EventGrid("getjob.mp4", etag.ToString())));
        var id = JobId.Derive(SourceIdentity.ForBlob("videos", "getjob.mp4", etag.ToString()), JobParameters.ForBlobCreated).Value;

        var reply = await fixture.Handler.InvokeHttpAsync("GetJob", Get(id));

        Assert.Equal(200, reply.StatusCode);
        Assert.Equal(id, reply.Json.GetProperty("id").GetString());
        Assert.Equal("queued", reply.Json.GetProperty("status").GetString());
        Assert.Equal("getjob.mp4", reply.Json.GetProperty("source").GetProperty("blobName").GetString());
        Assert.StartsWith("\"", reply.Headers["ETag"], StringComparison.Ordinal);
        Assert.StartsWith("application/json", reply.Headers["Content-Type"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_job_is_404()
    {
        var reply = await fixture.Handler.InvokeHttpAsync("GetJob", Get("0123456789abcdef0123456789abcdef"));

        Assert.Equal(404, reply.StatusCode);
        Assert.Equal("job_not_found", reply.Json.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("../../jobs/x")]
    [InlineData("0123456789ABCDEF0123456789ABCDEF")]
    [InlineData("123")]
    [InlineData("")]
    public async Task A_malformed_id_is_400(string id)
    {
        var reply = await fixture.Handler.InvokeHttpAsync("GetJob", Get(id));

        Assert.Equal(400, reply.StatusCode);
        Assert.Equal("invalid_job_id", reply.Json.GetProperty("error").GetString());
    }
}
