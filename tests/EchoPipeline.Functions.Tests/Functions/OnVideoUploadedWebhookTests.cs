using System.Text.Json.Nodes;
using EchoPipeline.Functions.Tests.Support;
using EchoPipeline.Jobs;

namespace EchoPipeline.Functions.Tests.Functions;

[Collection(PipelineTests.Name)]
public class OnVideoUploadedWebhookTests(PipelineFixture fixture)
{
    private const string Function = "OnVideoUploadedWebhook";
    private const string Url = "http://localhost:7071/api/events/videos?code=key";

    [Fact]
    public async Task The_subscription_validation_event_is_answered_with_its_code()
    {
        var call = new HttpTriggerCall("POST", Url, new JsonArray(BlobEvents.SubscriptionValidation("512d38b6-c7b8-40c8-89fe-f46f9e9622b6")).ToJsonString())
        {
            Headers = { ["aeg-event-type"] = "SubscriptionValidation" },
        };

        var reply = await fixture.Handler.InvokeHttpAsync(Function, call);

        Assert.Equal(200, reply.StatusCode);
        Assert.Equal("512d38b6-c7b8-40c8-89fe-f46f9e9622b6", reply.Json.GetProperty("validationResponse").GetString());
    }

    [Fact]
    public async Task The_cloudevents_options_handshake_echoes_the_origin()
    {
        var call = new HttpTriggerCall("OPTIONS", Url) { Headers = { ["WebHook-Request-Origin"] = "eventgrid.azure.net" } };

        var reply = await fixture.Handler.InvokeHttpAsync(Function, call);

        Assert.Equal(200, reply.StatusCode);
        Assert.Equal("eventgrid.azure.net", reply.Headers["WebHook-Allowed-Origin"]);
    }

    [Fact]
    public async Task An_options_request_without_an_origin_is_refused() =>
        Assert.Equal(400, (await fixture.Handler.InvokeHttpAsync(Function, new HttpTriggerCall("OPTIONS", Url))).StatusCode);

    [Fact]
    public async Task An_event_grid_batch_and_a_cloud_event_each_become_jobs()
    {
        var a = await fixture.UploadVideoAsync("hook/a.mp4", fixture.Media.ShortClip);
        var b = await fixture.UploadVideoAsync("hook/b.png", fixture.Media.Still);
        var batch = new JsonArray(BlobEvents.EventGrid("hook/a.mp4", a.ToString()), BlobEvents.EventGrid("hook/b.png", b.ToString()));

        var gridReply = await fixture.Handler.InvokeHttpAsync(Function, new HttpTriggerCall("POST", Url, batch.ToJsonString()) { Headers = { ["aeg-event-type"] = "Notification" } });
        var cloudReply = await fixture.Handler.InvokeHttpAsync(Function, new HttpTriggerCall("POST", Url, BlobEvents.CloudEvent("hook/a.mp4", a.ToString()).ToJsonString()));

        Assert.Equal(200, gridReply.StatusCode);
        var jobs = gridReply.Json.GetProperty("jobs").EnumerateArray().Select(j => j.GetProperty("jobId").GetString()).ToList();
        Assert.Equal(
            [JobId.Derive(SourceIdentity.ForBlob("videos", "hook/a.mp4", a.ToString()), JobParameters.ForBlobCreated).Value, JobId.Derive(SourceIdentity.ForBlob("videos", "hook/b.png", b.ToString()), JobParameters.ForBlobCreated).Value],
            jobs);
        Assert.Equal(200, cloudReply.StatusCode);
        var again = Assert.Single(cloudReply.Json.GetProperty("jobs").EnumerateArray());
        Assert.Equal((jobs[0], "existing"), (again.GetProperty("jobId").GetString(), again.GetProperty("disposition").GetString()));
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("42")]
    [InlineData("""[{"eventType":"Microsoft.Storage.BlobCreated","subject":"/x"}]""")]
    [InlineData("""{"specversion":"0.3","id":"1","source":"s","type":"t"}""")]
    public async Task A_malformed_delivery_is_answered_400_with_the_reason(string body)
    {
        var reply = await fixture.Handler.InvokeHttpAsync(Function, new HttpTriggerCall("POST", Url, body));

        Assert.Equal(400, reply.StatusCode);
        Assert.Equal("invalid_event", reply.Json.GetProperty("error").GetString());
        Assert.False(string.IsNullOrWhiteSpace(reply.Json.GetProperty("message").GetString()));
    }
}
