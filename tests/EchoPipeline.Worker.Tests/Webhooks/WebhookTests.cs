using System.Text.Json;
using EchoPipeline.Jobs;
using EchoPipeline.Worker.Tests.Support;
using Microsoft.Extensions.Options;

namespace EchoPipeline.Worker.Tests.Webhooks;

[Collection(WorkerGroup.Name)]
public sealed class WebhookTests(WorkerFixture fixture) : IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ClearQueuesAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task LoopbackReceiverGetsTheFinalRecordWithAValidStandardWebhooksSignature()
    {
        using var receiver = new WebhookReceiver(failFirst: 2);
        var id = await fixture.SeedJobAsync("webhooks/ok.png", new JobParameters { Steps = 2, CallbackUrl = receiver.Url });
        await using var host = await WorkerHost.StartAsync(fixture);

        var record = await fixture.WaitForAsync(id, r => r.Callback is not null, TimeSpan.FromSeconds(60));

        Assert.Equal("delivered", record.Callback!.Status);
        Assert.Equal(3, record.Callback.Attempts);
        Assert.Equal(3, receiver.Requests.Count);
        var last = receiver.Requests.MaxBy(r => r.Index)!;
        var messageId = last.Headers["webhook-id"];
        var timestamp = last.Headers["webhook-timestamp"];
        Assert.Equal(StandardWebhooksSpec.Signature(messageId, timestamp, last.Body), last.Headers["webhook-signature"]);
        StandardWebhooksSpec.AssertRecent(timestamp);
        Assert.All(receiver.Requests, r => Assert.Equal(messageId, r.Headers["webhook-id"]));
        var sent = JsonSerializer.Deserialize(last.Body, JobJsonContext.Default.JobRecord)!;
        Assert.Equal(id, sent.Id);
        Assert.Equal(JobStatus.Succeeded, sent.Status);
        Assert.Single(sent.Outputs!.Wav);
    }

    [Fact]
    public async Task PrivateTargetIsRefusedWhenNotAllowed()
    {
        using var receiver = new WebhookReceiver();
        var id = await fixture.SeedJobAsync("webhooks/private.png", new JobParameters { Steps = 2, CallbackUrl = receiver.Url });
        await using var host = await WorkerHost.StartAsync(fixture, new Dictionary<string, string?> { ["Webhooks:AllowPrivateTargets"] = "false" });

        var record = await fixture.WaitForAsync(id, r => r.Callback is not null, TimeSpan.FromSeconds(60));

        Assert.Equal(JobStatus.Succeeded, record.Status);
        Assert.Equal("refused", record.Callback!.Status);
        Assert.Contains("127.0.0.1", record.Callback.Error, StringComparison.Ordinal);
        Assert.Empty(receiver.Requests);
    }

    [Theory]
    [InlineData("Webhooks:MaxRetries", "0", "Webhooks:MaxRetries must be between 1 and 20.")]
    [InlineData("Webhooks:InitialDelay", "00:00:00", "Webhooks:InitialDelay must be between")]
    [InlineData("Webhooks:AttemptTimeout", "00:00:00", "Webhooks:AttemptTimeout must be between")]
    [InlineData("Webhooks:TotalTimeout", "00:00:05", "Webhooks:TotalTimeout (00:00:05) must not be shorter than Webhooks:AttemptTimeout (00:00:15).")]
    [InlineData("Webhooks:Secret", "whsec_not base64!", "Webhooks:Secret must be \"whsec_\" followed by Base64")]
    public async Task InvalidWebhookSettingStopsTheWorkerAtStartUpNamingTheSetting(string key, string value, string expected)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var host = await WorkerHost.StartAsync(fixture, new Dictionary<string, string?> { [key] = value });
        });

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
