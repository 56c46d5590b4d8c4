using EchoPipeline.Functions.Tests.Support;
using EchoPipeline.Jobs;

namespace EchoPipeline.Functions.Tests.Functions;

/// <summary>GetJob invoked with a request on a DefaultHttpContext and the route's id.</summary>
[Collection(PipelineTests.Name)]
public class GetJobTests(PipelineFixture fixture) : FunctionTests(fixture)
{
    [Fact]
    public async Task A_known_job_is_returned_as_stored_with_its_etag()
    {
        var etag = await Fixture.UploadVideoAsync("getjob.mp4", Fixture.Media.ShortClip);
        await App.UploadedAsync("getjob.mp4");
        var id = UploadJob("getjob.mp4", etag).Value;

        var reply = await App.GetJobAsync(id);

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
        var reply = await App.GetJobAsync("0123456789abcdef0123456789abcdef");

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
        var reply = await App.GetJobAsync(id);

        Assert.Equal(400, reply.StatusCode);
        Assert.Equal("invalid_job_id", reply.Json.GetProperty("error").GetString());
    }
}
