using System.Text.Json;
using EchoPipeline.Jobs;
using EchoPipeline.LocalServices;
using EchoPipeline.Worker.Tests.Support;
using EchoPipeline.Worker.Webhooks;

namespace EchoPipeline.Worker.Tests.Webhooks;

/// <summary>
/// The sender as the worker registers it (<see cref="WebhookServiceCollectionExtensions.AddWebhooks"/>), over real HTTP
/// to a loopback receiver. No storage: these tests stop at the <see cref="CallbackDelivery"/> the dispatcher would record.
/// </summary>
public sealed class WebhookSenderTests
{
    /// <summary>Long enough for any test here to finish; a delivery still running then (cancelled, so the test fails) is retrying what it should not.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ReceiverThatFailsTwiceWith503GetsThreePostsWithOneIdAndAValidSignatureEach()
    {
        using var receiver = new WebhookReceiver(new WebhookReply(503), new WebhookReply(503));
        var record = Finished(receiver.Url);

        var delivery = await SendAsync(record);

        Assert.Equal(new CallbackDelivery("delivered", 3, delivery.At, 204), delivery);
        Assert.Equal(3, receiver.Requests.Count);
        var expectedBody = JsonSerializer.SerializeToUtf8Bytes(record, JobJsonContext.Default.JobRecord);
        Assert.All(receiver.Requests, request =>
        {
            Assert.Equal($"msg_{record.Id}_succeeded", request.Headers["webhook-id"]);
            Assert.Equal(expectedBody, request.Body);
            StandardWebhooksSpec.AssertRecent(request.Headers["webhook-timestamp"]);
            Assert.Equal(StandardWebhooksSpec.Signature(request.Headers["webhook-id"], request.Headers["webhook-timestamp"], request.Body), request.Headers["webhook-signature"]);
        });
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(408)]
    [InlineData(429)]
    public async Task TransientStatusIsRetried(int status)
    {
        using var receiver = new WebhookReceiver(new WebhookReply(status));

        var delivery = await SendAsync(Finished(receiver.Url));

        Assert.Equal("delivered", delivery.Status);
        Assert.Equal(2, delivery.Attempts);
        Assert.Equal(2, receiver.Requests.Count);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(404)]
    [InlineData(410)]
    public async Task ClientErrorIsNotRetried(int status)
    {
        using var receiver = new WebhookReceiver(new WebhookReply(status));

        var delivery = await SendAsync(Finished(receiver.Url));

        Assert.Equal("failed", delivery.Status);
        Assert.Equal(1, delivery.Attempts);
        Assert.Equal(status, delivery.StatusCode);
        Assert.StartsWith($"The receiver answered {status}", delivery.Error, StringComparison.Ordinal);
        Assert.Single(receiver.Requests);
    }

    /// <summary>The configured backoff starts at 50 ms (at most about 70 ms with jitter), so only Retry-After explains a wait of a second.</summary>
    [Fact]
    public async Task RetryAfterOfTheReceiverIsHonoured()
    {
        using var receiver = new WebhookReceiver(new WebhookReply(503, RetryAfterSeconds: 1));

        var delivery = await SendAsync(Finished(receiver.Url));

        Assert.Equal("delivered", delivery.Status);
        var requests = receiver.Requests.OrderBy(r => r.Index).ToArray();
        Assert.Equal(2, requests.Length);
        var waited = TimeProvider.System.GetElapsedTime(requests[0].Timestamp, requests[1].Timestamp);
        Assert.True(waited >= TimeSpan.FromMilliseconds(950), $"The retry came {waited.TotalMilliseconds:F0} ms after the 503 that asked for 1 s.");
    }

    /// <summary>
    /// The guard is the primary handler, so it refuses at connect time below the retry handler; the refusal must not be
    /// taken for a network error and retried (with 5 s delays that would outlast <see cref="Bound"/>).
    /// </summary>
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    public async Task LoopbackTargetIsRefusedAtConnectTimeAndNotRetried(string host)
    {
        using var receiver = new WebhookReceiver();
        var target = new UriBuilder(receiver.Url) { Host = host }.Uri;

        var delivery = await SendAsync(Finished(target), new()
        {
            ["Webhooks:AllowPrivateTargets"] = "false",
            ["Webhooks:MaxRetries"] = "5",
            ["Webhooks:InitialDelay"] = "00:00:05",
        });

        Assert.Equal("refused", delivery.Status);
        Assert.Equal(1, delivery.Attempts);
        Assert.Contains(host, delivery.Error, StringComparison.Ordinal);
        Assert.Contains("private, loopback or link-local", delivery.Error, StringComparison.Ordinal);
        Assert.Empty(receiver.Requests);
    }

    [Fact]
    public async Task LoopbackTargetIsReachedWhenConfigurationAllowsIt()
    {
        using var receiver = new WebhookReceiver();

        var delivery = await SendAsync(Finished(receiver.Url), new() { ["Webhooks:AllowPrivateTargets"] = "true" });

        Assert.Equal("delivered", delivery.Status);
        Assert.Single(receiver.Requests);
    }

    [Fact]
    public async Task RefusedConnectionIsRetriedUntilTheRetriesRunOut()
    {
        var nobodyListens = new Uri($"http://127.0.0.1:{LoopbackPorts.Free(1)[0]}/hooks/");

        var delivery = await SendAsync(Finished(nobodyListens), new() { ["Webhooks:MaxRetries"] = "2" });

        Assert.Equal("failed", delivery.Status);
        Assert.Equal(3, delivery.Attempts);
        Assert.Null(delivery.StatusCode);
        Assert.NotNull(delivery.Error);
    }

    [Fact]
    public async Task AttemptThatHangsIsAbandonedAfterTheAttemptTimeoutAndRetried()
    {
        using var receiver = new WebhookReceiver(new WebhookReply(204, Hold: TimeSpan.FromMinutes(1)));

        var delivery = await SendAsync(Finished(receiver.Url), new() { ["Webhooks:AttemptTimeout"] = "00:00:00.500" });

        Assert.Equal("delivered", delivery.Status);
        Assert.Equal(2, delivery.Attempts);
        Assert.Equal(2, receiver.Requests.Count);
    }

    [Fact]
    public async Task DeliveryGivesUpWhenTheTotalTimeoutRunsOut()
    {
        var hang = new WebhookReply(204, Hold: TimeSpan.FromMinutes(1));
        using var receiver = new WebhookReceiver(Enumerable.Repeat(hang, 20).ToArray());

        var delivery = await SendAsync(Finished(receiver.Url), new()
        {
            ["Webhooks:MaxRetries"] = "20",
            ["Webhooks:AttemptTimeout"] = "00:00:00.300",
            ["Webhooks:TotalTimeout"] = "00:00:01.500",
        });

        Assert.Equal("failed", delivery.Status);
        Assert.InRange(delivery.Attempts, 2, 19);
        Assert.Contains("00:00:01.5", delivery.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutASecretNothingIsSent()
    {
        using var receiver = new WebhookReceiver();

        var delivery = await SendAsync(Finished(receiver.Url), new() { ["Webhooks:Secret"] = null });

        Assert.Equal("failed", delivery.Status);
        Assert.Equal(0, delivery.Attempts);
        Assert.Contains("Webhooks:Secret", delivery.Error, StringComparison.Ordinal);
        Assert.Empty(receiver.Requests);
    }

    private static async Task<CallbackDelivery> SendAsync(JobRecord record, Dictionary<string, string?>? overrides = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Webhooks:Secret"] = WorkerHost.TestSecret,
            ["Webhooks:AllowPrivateTargets"] = "true",
            ["Webhooks:InitialDelay"] = "00:00:00.050",
            ["Webhooks:MaxRetries"] = "3",
        };
        foreach (var (key, value) in overrides ?? [])
        {
            settings[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        await using var services = new ServiceCollection().AddLogging().AddWebhooks(configuration).BuildServiceProvider();
        using var bound = new CancellationTokenSource(Bound);
        return await services.GetRequiredService<WebhookSender>().SendAsync(record, bound.Token);
    }

    private static JobRecord Finished(Uri callback)
    {
        var parameters = new JobParameters { Steps = 2, CallbackUrl = callback }.Normalize();
        var now = DateTimeOffset.UtcNow;
        return new JobRecord
        {
            Id = JobId.Derive(SourceIdentity.ForBlob("videos", "webhooks/sender.png", "0x1"), parameters),
            Status = JobStatus.Succeeded,
            CreatedAt = now,
            UpdatedAt = now,
            Source = new JobSource { Kind = "blob", Container = "videos", BlobName = "webhooks/sender.png", ETag = "0x1" },
            Parameters = parameters,
        };
    }
}
