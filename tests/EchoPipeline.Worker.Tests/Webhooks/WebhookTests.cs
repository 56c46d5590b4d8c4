using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EchoPipeline.Jobs;
using EchoPipeline.Worker.Tests.Support;

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
        var (headers, body) = receiver.Requests.Last();
        var messageId = headers["webhook-id"];
        var timestamp = headers["webhook-timestamp"];
        Assert.Equal(ExpectedSignature(messageId, timestamp, body), headers["webhook-signature"]);
        Assert.InRange(long.Parse(timestamp, System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.UtcNow.AddMinutes(-2).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        Assert.All(receiver.Requests, r => Assert.Equal(messageId, r.Headers["webhook-id"]));
        var sent = JsonSerializer.Deserialize(body, JobJsonContext.Default.JobRecord)!;
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

    /// <summary>Standard Webhooks, computed here from the spec: HMAC-SHA256 over "id.timestamp.body" with the Base64 key after "whsec_".</summary>
    private static string ExpectedSignature(string id, string timestamp, byte[] body)
    {
        var key = Convert.FromBase64String(WorkerHost.TestSecret["whsec_".Length..]);
        var signed = Encoding.UTF8.GetBytes($"{id}.{timestamp}.").Concat(body).ToArray();
        using var hmac = new HMACSHA256(key);
        return "v1," + Convert.ToBase64String(hmac.ComputeHash(signed));
    }
}
