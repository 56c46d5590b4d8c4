using System.Text.Json;
using EchoPipeline.Jobs;
using EchoPipeline.Jobs.Storage;
using EchoPipeline.Worker.Tests.Support;
using Microsoft.Extensions.Options;

namespace EchoPipeline.Worker.Tests.Webhooks;

[Collection(WorkerGroup.Name)]
public sealed class WebhookTests(WorkerFixture fixture) : IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        await fixture.ClearQueuesAsync();
        await fixture.ClearOutboxAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Loopback_receiver_gets_the_final_record_with_a_valid_Standard_Webhooks_signature()
    {
        using var receiver = new WebhookReceiver(failFirst: 2);
        var id = await fixture.SeedJobAsync("webhooks/ok.png", new JobParameters { Steps = 2, CallbackUrl = receiver.Url });
        await using var host = await WorkerHost.StartAsync(fixture);

        var record = await fixture.WaitForAsync(id, r => r.Callback?.Status is not (null or "pending"), TimeSpan.FromSeconds(60));

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
    public async Task Private_target_is_refused_when_not_allowed()
    {
        using var receiver = new WebhookReceiver();
        var id = await fixture.SeedJobAsync("webhooks/private.png", new JobParameters { Steps = 2, CallbackUrl = receiver.Url });
        await using var host = await WorkerHost.StartAsync(fixture, new Dictionary<string, string?> { ["Webhooks:AllowPrivateTargets"] = "false" });

        var record = await fixture.WaitForAsync(id, r => r.Callback?.Status is not (null or "pending"), TimeSpan.FromSeconds(60));

        Assert.Equal(JobStatus.Succeeded, record.Status);
        Assert.Equal("refused", record.Callback!.Status);
        Assert.Contains("127.0.0.1", record.Callback.Error, StringComparison.Ordinal);
        Assert.Empty(receiver.Requests);
    }

    /// <summary>
    /// What a worker killed right after writing the final record leaves: the record (succeeded, callback pending), no
    /// outbox entry, and the message, which comes back. The next worker must add the entry before it deletes the message.
    /// </summary>
    [Fact]
    public async Task Worker_killed_between_the_record_and_the_message_delete_still_delivers_when_the_message_comes_back()
    {
        using var receiver = new WebhookReceiver();
        var record = await fixture.SeedFinishedJobAsync("webhooks/record-then-kill.png", receiver.Url);
        await new JobQueueClient(fixture.Storage).EnqueueAsync(record.Id);
        await using var host = await WorkerHost.StartAsync(fixture);

        var settled = await fixture.WaitForAsync(record.Id, r => r.Callback?.Status == "delivered", TimeSpan.FromSeconds(60));

        Assert.Equal(1, settled.Callback!.Attempts);
        Assert.Equal($"msg_{record.Id}_succeeded", Assert.Single(receiver.Requests).Id);
        Assert.Equal(0, (await fixture.JobsQueue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    /// <summary>
    /// The worker process is SIGKILLed while its first POST is in flight (the receiver holds it): the record is written,
    /// the message gone, the entry leased by a dead process. The next worker takes the entry once the lease lapses and
    /// delivers the same webhook-id and body.
    /// </summary>
    [Fact]
    public async Task Worker_killed_during_the_delivery_delivers_after_restart_with_the_same_webhook_id()
    {
        using var receiver = new WebhookReceiver(new WebhookReply(204, Hold: TimeSpan.FromMinutes(5)));
        var id = await fixture.SeedJobAsync("webhooks/killed.png", new JobParameters { Steps = 2, CallbackUrl = receiver.Url });
        using (var worker = WorkerProcess.Start(fixture, new Dictionary<string, string?> { ["Webhooks:AttemptTimeout"] = "00:10:00" }))
        {
            await Waiting.UntilAsync(() => !receiver.Requests.IsEmpty || worker.HasExited, TimeSpan.FromSeconds(90), "the first POST");
            Assert.False(worker.HasExited, worker.Output);
            worker.Kill();
            await worker.WaitForExitAsync(TimeSpan.FromSeconds(30));
        }

        Assert.Equal("pending", (await fixture.ReadJobAsync(id)).Callback!.Status);
        await using var next = await WorkerHost.StartAsync(fixture);
        var settled = await fixture.WaitForAsync(id, r => r.Callback?.Status == "delivered", TimeSpan.FromSeconds(90));

        Assert.Equal(2, settled.Callback!.Attempts);
        var requests = receiver.Requests.OrderBy(r => r.Index).ToArray();
        Assert.Equal(2, requests.Length);
        Assert.All(requests, r => Assert.Equal($"msg_{id}_succeeded", r.Id));
        Assert.Equal(requests[0].Body, requests[1].Body);
        Assert.All(requests, r => Assert.True(StandardWebhooksSpec.IsSignedWith(r, WorkerHost.TestSecret)));
    }

    /// <summary>Stopped (SIGTERM) with its POST in flight past the grace period: the next worker delivers at once, no lease to wait out.</summary>
    [Fact]
    public async Task Worker_stopped_during_the_delivery_leaves_it_to_the_next_worker_with_the_same_webhook_id()
    {
        using var receiver = new WebhookReceiver(new WebhookReply(204, Hold: TimeSpan.FromMinutes(5)));
        var id = await fixture.SeedJobAsync("webhooks/stopped.png", new JobParameters { Steps = 2, CallbackUrl = receiver.Url });
        var settings = new Dictionary<string, string?> { ["Webhooks:AttemptTimeout"] = "00:10:00", ["Worker:ShutdownTimeout"] = "00:00:01" };
        var first = await WorkerHost.StartAsync(fixture, settings);
        await Waiting.UntilAsync(() => !receiver.Requests.IsEmpty, TimeSpan.FromSeconds(60), "the first POST");
        await first.DisposeAsync();

        var stopped = TimeProvider.System.GetTimestamp();
        await using var next = await WorkerHost.StartAsync(fixture);
        var settled = await fixture.WaitForAsync(id, r => r.Callback?.Status == "delivered", TimeSpan.FromSeconds(60));

        Assert.Equal(2, settled.Callback!.Attempts);
        Assert.Equal([$"msg_{id}_succeeded", $"msg_{id}_succeeded"], receiver.Requests.OrderBy(r => r.Index).Select(r => r.Id));
        var elapsed = TimeProvider.System.GetElapsedTime(stopped, receiver.Requests.Max(r => r.Timestamp));
        Assert.True(elapsed < TimeSpan.FromSeconds(14), $"The second POST came {elapsed.TotalSeconds:F1} s after the stop: the stopped worker kept its lease.");
    }

    [Fact]
    public async Task Malformed_subscription_secret_stops_the_worker_at_start_up_without_repeating_it()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var host = await WorkerHost.StartAsync(fixture, new Dictionary<string, string?>
            {
                ["Webhooks:Subscriptions:0:Host"] = "hooks.example.com",
                ["Webhooks:Subscriptions:0:Secret"] = "whsec_not base64!",
            });
        });

        Assert.Contains("Webhooks:Subscriptions:0:Secret must be \"whsec_\" followed by Base64", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not base64!", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Webhooks:MaxRetries", "0", "Webhooks:MaxRetries must be between 1 and 20.")]
    [InlineData("Webhooks:MaxDelay", "00:00:00.001", "Webhooks:MaxDelay (00:00:00.0010000) must not be shorter than Webhooks:InitialDelay (00:00:00.0500000).")]
    [InlineData("Webhooks:LeaseDuration", "00:00:05", "Webhooks:LeaseDuration must be between 00:00:15 and 00:01:00.")]
    [InlineData("Webhooks:MaxConcurrentDeliveries", "0", "Webhooks:MaxConcurrentDeliveries must be between 1 and 256.")]
    [InlineData("Webhooks:Subscriptions:0:Host", "hooks.example.com", "Webhooks:Subscriptions:0:Secret must be \"whsec_\" followed by Base64")]
    [InlineData("Webhooks:Subscriptions:0:Host", "https://hooks.example.com/x", "Webhooks:Subscriptions:0:Host must be a host name or IP address")]
    [InlineData("Webhooks:InitialDelay", "00:00:00", "Webhooks:InitialDelay must be between")]
    [InlineData("Webhooks:AttemptTimeout", "00:00:00", "Webhooks:AttemptTimeout must be between")]
    [InlineData("Webhooks:TotalTimeout", "00:00:05", "Webhooks:TotalTimeout (00:00:05) must not be shorter than Webhooks:AttemptTimeout (00:00:15).")]
    [InlineData("Webhooks:Secret", "whsec_not base64!", "Webhooks:Secret must be \"whsec_\" followed by Base64")]
    public async Task Invalid_webhook_setting_stops_the_worker_at_start_up_naming_the_setting(string key, string value, string expected)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var host = await WorkerHost.StartAsync(fixture, new Dictionary<string, string?> { [key] = value });
        });

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
