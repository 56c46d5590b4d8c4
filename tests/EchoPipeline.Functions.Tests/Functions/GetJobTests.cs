using EchoPipeline.Functions.Tests.Support;
using EchoPipeline.Jobs;
using EchoPipeline.Jobs.Storage;

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
    public async Task Urls_are_returned_without_their_query_strings_or_user_info()
    {
        var id = JobId.Parse(new string('c', 32));
        var at = DateTimeOffset.UtcNow;
        await Fixture.Container(StorageNames.JobsContainer).CreateIfNotExistsAsync();
        await new JobStore(Fixture.Storage).CreateAsync(new JobRecord
        {
            Id = id, Status = JobStatus.Queued, CreatedAt = at, UpdatedAt = at,
            Source = new JobSource { Kind = "url", Container = "videos", BlobName = "submitted/x", Url = new Uri("https://user:pw@media.example.com/clips/a.mp4?sv=2024&sig=SECRET#t=3") },
            Parameters = new JobParameters { CallbackUrl = new Uri("https://hooks.example.com/echo?token=SECRET") }.Normalize(),
        });

        var reply = await App.GetJobAsync(id.Value);

        Assert.Equal(200, reply.StatusCode);
        Assert.Equal("https://media.example.com/clips/a.mp4", reply.Json.GetProperty("source").GetProperty("url").GetString());
        Assert.Equal("https://hooks.example.com/echo", reply.Json.GetProperty("parameters").GetProperty("callbackUrl").GetString());
        Assert.DoesNotContain("SECRET", reply.Json.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("pw", reply.Json.GetProperty("source").GetRawText(), StringComparison.Ordinal);
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
