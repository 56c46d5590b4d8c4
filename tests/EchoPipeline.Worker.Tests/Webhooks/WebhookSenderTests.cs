using System.Net;
using System.Net.Sockets;
using System.Text;
using EchoPipeline.LocalServices;
using EchoPipeline.Worker.Tests.Support;
using EchoPipeline.Worker.Webhooks;

namespace EchoPipeline.Worker.Tests.Webhooks;

/// <summary>
/// One attempt of the sender as the worker registers it (<see cref="WebhookServiceCollectionExtensions.AddWebhooks"/>),
/// over real HTTP to loopback receivers. No storage: retries and the outbox are the dispatcher's (WebhookDeliveryTests).
/// </summary>
public sealed class WebhookSenderTests
{
    /// <summary>Long enough for any attempt here; one still running then (cancelled, so the test fails) waited for what it should not.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static readonly byte[] Body = Encoding.UTF8.GetBytes("{\"id\":\"job\",\"status\":\"succeeded\"}");

    [Fact]
    public async Task Receiver_gets_one_post_with_the_id_a_timestamp_and_a_valid_signature()
    {
        using var receiver = new WebhookReceiver();

        var attempt = await SendAsync(receiver.Url);

        Assert.Equal(new WebhookAttempt(WebhookAttemptOutcome.Delivered, Sent: true, 204), attempt);
        var request = Assert.Single(receiver.Requests);
        Assert.Equal("msg_test", request.Id);
        Assert.Equal(Body, request.Body);
        Assert.Equal("application/json", request.Headers["Content-Type"]);
        StandardWebhooksSpec.AssertRecent(request.Headers["webhook-timestamp"]);
        Assert.True(StandardWebhooksSpec.IsSignedWith(request, WorkerHost.TestSecret));
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(408)]
    [InlineData(429)]
    public async Task Transient_status_is_worth_another_attempt(int status)
    {
        using var receiver = new WebhookReceiver(new WebhookReply(status));

        var attempt = await SendAsync(receiver.Url);

        Assert.Equal(WebhookAttemptOutcome.Retry, attempt.Outcome);
        Assert.Equal(status, attempt.StatusCode);
        Assert.Single(receiver.Requests);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(404)]
    [InlineData(410)]
    [InlineData(301)]
    public async Task Other_answers_are_final(int status)
    {
        using var receiver = new WebhookReceiver(new WebhookReply(status));

        var attempt = await SendAsync(receiver.Url);

        Assert.Equal(WebhookAttemptOutcome.Failed, attempt.Outcome);
        Assert.Equal(status, attempt.StatusCode);
        Assert.StartsWith($"The receiver answered {status}", attempt.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retry_After_of_the_receiver_is_reported()
    {
        using var receiver = new WebhookReceiver(new WebhookReply(503, RetryAfterSeconds: 7));

        var attempt = await SendAsync(receiver.Url);

        Assert.Equal(TimeSpan.FromSeconds(7), attempt.RetryAfter);
    }

    /// <summary>The guard is the primary handler, so it refuses at connect time, for literal addresses and names alike.</summary>
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    public async Task Loopback_target_is_refused_at_connect_time(string host)
    {
        using var receiver = new WebhookReceiver();
        var target = new UriBuilder(receiver.Url) { Host = host }.Uri;

        var attempt = await SendAsync(target, new() { ["Webhooks:AllowPrivateTargets"] = "false" });

        Assert.Equal(WebhookAttemptOutcome.Refused, attempt.Outcome);
        Assert.Equal($"{host} resolves to a private/loopback address; only public addresses may be reached.", attempt.Error);
        Assert.Empty(receiver.Requests);
    }

    /// <summary>The refusal of a name says what the caller gave, never what internal DNS answered.</summary>
    [Fact]
    public async Task Refusal_of_a_name_does_not_name_the_addresses_it_resolves_to()
    {
        var target = new UriBuilder(WebhookReceiver.FreeUrl()) { Host = "localhost" }.Uri;

        var attempt = await SendAsync(target, new() { ["Webhooks:AllowPrivateTargets"] = "false" });

        Assert.Equal(WebhookAttemptOutcome.Refused, attempt.Outcome);
        Assert.DoesNotContain("127.0.0.1", attempt.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("::1", attempt.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Loopback_target_is_reached_when_configuration_allows_it()
    {
        using var receiver = new WebhookReceiver();

        var attempt = await SendAsync(receiver.Url, new() { ["Webhooks:AllowPrivateTargets"] = "true" });

        Assert.Equal(WebhookAttemptOutcome.Delivered, attempt.Outcome);
        Assert.Single(receiver.Requests);
    }

    [Fact]
    public async Task HTTP_target_is_refused_unless_webhooks_allow_http()
    {
        using var receiver = new WebhookReceiver();

        var attempt = await SendAsync(receiver.Url, new() { ["Webhooks:AllowHttp"] = null });

        Assert.Equal(new WebhookAttempt(WebhookAttemptOutcome.Refused, Sent: false, Error: attempt.Error), attempt);
        Assert.Contains("Webhooks:AllowHttp", attempt.Error, StringComparison.Ordinal);
        Assert.Empty(receiver.Requests);
    }

    [Fact]
    public async Task Refused_connection_is_worth_another_attempt()
    {
        var attempt = await SendAsync(WebhookReceiver.FreeUrl());

        Assert.Equal(WebhookAttemptOutcome.Retry, attempt.Outcome);
        Assert.True(attempt.Sent);
        Assert.Null(attempt.StatusCode);
        Assert.NotNull(attempt.Error);
    }

    [Fact]
    public async Task Connection_dropped_without_an_answer_is_retried_at_once_within_the_attempt()
    {
        using var server = new DropFirstConnectionServer();

        var attempt = await SendAsync(server.Url);

        Assert.Equal(new WebhookAttempt(WebhookAttemptOutcome.Delivered, Sent: true, 204), attempt);
        Assert.Equal(2, server.Connections);
    }

    [Fact]
    public async Task Attempt_that_hangs_ends_at_the_attempt_timeout_and_is_worth_another_attempt()
    {
        using var receiver = new WebhookReceiver(new WebhookReply(204, Hold: TimeSpan.FromMinutes(1)));

        var attempt = await SendAsync(receiver.Url, new() { ["Webhooks:AttemptTimeout"] = "00:00:00.500" });

        Assert.Equal(WebhookAttemptOutcome.Retry, attempt.Outcome);
        Assert.Contains("00:00:00.5", attempt.Error, StringComparison.Ordinal);
    }

    /// <summary>
    /// A receiver that answers 200 and then sends a body without end: the attempt is delivered on the status line and
    /// ends long before the attempt timeout, and the worker reads a bounded part of the body at most (reading it, or
    /// buffering it, would run into the attempt timeout instead).
    /// </summary>
    [Fact]
    public async Task Endless_response_body_is_not_read_and_does_not_hold_the_attempt()
    {
        using var receiver = new EndlessBodyServer();

        var attempt = await SendAsync(receiver.Url, new() { ["Webhooks:AttemptTimeout"] = "00:00:20" });

        Assert.Equal(WebhookAttemptOutcome.Delivered, attempt.Outcome);
        var written = await receiver.HungUpAfterAsync(Bound);
        Assert.True(written < 64L * 1024 * 1024, $"The receiver wrote {written} bytes before the worker hung up.");
    }

    [Fact]
    public async Task Without_a_secret_nothing_is_sent()
    {
        using var receiver = new WebhookReceiver();

        var attempt = await SendAsync(receiver.Url, new() { ["Webhooks:Secret"] = null });

        Assert.Equal(WebhookAttemptOutcome.Failed, attempt.Outcome);
        Assert.False(attempt.Sent);
        Assert.Contains("Webhooks:Secret", attempt.Error, StringComparison.Ordinal);
        Assert.Empty(receiver.Requests);
    }

    /// <summary>127.0.0.2 has a subscription of its own; 127.0.0.1 has none and gets the default secret.</summary>
    [Fact]
    public async Task Subscription_secret_signs_for_its_host_and_the_default_secret_for_others()
    {
        using var subscribed = new WebhookReceiver(WebhookReceiver.FreeUrl("127.0.0.2"));
        using var other = new WebhookReceiver(WebhookReceiver.FreeUrl("127.0.0.1"));
        var settings = new Dictionary<string, string?>
        {
            ["Webhooks:Subscriptions:0:Host"] = "127.0.0.2",
            ["Webhooks:Subscriptions:0:Secret"] = SubscriptionSecret,
        };

        Assert.Equal(WebhookAttemptOutcome.Delivered, (await SendAsync(subscribed.Url, settings)).Outcome);
        Assert.Equal(WebhookAttemptOutcome.Delivered, (await SendAsync(other.Url, settings)).Outcome);

        var toSubscriber = Assert.Single(subscribed.Requests);
        Assert.True(StandardWebhooksSpec.IsSignedWith(toSubscriber, SubscriptionSecret));
        Assert.False(StandardWebhooksSpec.IsSignedWith(toSubscriber, WorkerHost.TestSecret));
        Assert.True(StandardWebhooksSpec.IsSignedWith(Assert.Single(other.Requests), WorkerHost.TestSecret));
    }

    [Fact]
    public async Task Subscription_without_a_default_secret_signs_only_for_its_host()
    {
        using var subscribed = new WebhookReceiver(WebhookReceiver.FreeUrl("127.0.0.2"));
        using var other = new WebhookReceiver();
        var settings = new Dictionary<string, string?>
        {
            ["Webhooks:Secret"] = null,
            ["Webhooks:Subscriptions:0:Host"] = "127.0.0.2",
            ["Webhooks:Subscriptions:0:Secret"] = SubscriptionSecret,
        };

        Assert.Equal(WebhookAttemptOutcome.Delivered, (await SendAsync(subscribed.Url, settings)).Outcome);
        var unsigned = await SendAsync(other.Url, settings);

        Assert.True(StandardWebhooksSpec.IsSignedWith(Assert.Single(subscribed.Requests), SubscriptionSecret));
        Assert.Equal(WebhookAttemptOutcome.Failed, unsigned.Outcome);
        Assert.Contains("127.0.0.1", unsigned.Error, StringComparison.Ordinal);
        Assert.Empty(other.Requests);
    }

    /// <summary>"whsec_" + Base64 of 32 bytes other than the test secret's.</summary>
    internal static string SubscriptionSecret { get; } = "whsec_" + Convert.ToBase64String(Enumerable.Range(100, 32).Select(i => (byte)i).ToArray());

    private static async Task<WebhookAttempt> SendAsync(Uri target, Dictionary<string, string?>? overrides = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Webhooks:Secret"] = WorkerHost.TestSecret,
            ["Webhooks:AllowPrivateTargets"] = "true",
            ["Webhooks:AllowHttp"] = "true",
        };
        foreach (var (key, value) in overrides ?? [])
        {
            settings[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        await using var services = new ServiceCollection().AddLogging().AddWebhooks(configuration).BuildServiceProvider();
        using var bound = new CancellationTokenSource(Bound);
        return await services.GetRequiredService<WebhookSender>().SendAsync(target, "msg_test", Body, bound.Token);
    }

    /// <summary>An HTTP/1.1 server on loopback that hangs up on the first connection unanswered and answers 204 after that.</summary>
    private sealed class DropFirstConnectionServer : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private int _connections;

        public DropFirstConnectionServer()
        {
            _listener.Start();
            Url = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/hooks/");
            _ = ServeAsync();
        }

        public Uri Url { get; }

        public int Connections => Volatile.Read(ref _connections);

        public void Dispose() => _listener.Dispose();

        private async Task ServeAsync()
        {
            while (true)
            {
                using var client = await _listener.AcceptTcpClientAsync();
                var stream = client.GetStream();
                var request = new byte[64 * 1024];
                var read = 0;
                while (!Encoding.ASCII.GetString(request, 0, read).Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var more = await stream.ReadAsync(request.AsMemory(read));
                    read += more > 0 ? more : throw new IOException("The client hung up before the request headers ended.");
                }

                if (Interlocked.Increment(ref _connections) > 1)
                {
                    await stream.WriteAsync("HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n"u8.ToArray());
                }
            }
        }
    }

    /// <summary>An HTTP/1.1 server on loopback that answers one request with 200 and then writes body bytes until the client hangs up.</summary>
    private sealed class EndlessBodyServer : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly Task<long> _serving;

        public EndlessBodyServer()
        {
            _listener.Start();
            Url = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/hooks/");
            _serving = ServeAsync();
        }

        public Uri Url { get; }

        /// <summary>Bytes of body written before the client closed the connection.</summary>
        public async Task<long> HungUpAfterAsync(TimeSpan timeout) => await _serving.WaitAsync(timeout);

        public void Dispose() => _listener.Dispose();

        private async Task<long> ServeAsync()
        {
            using var client = await _listener.AcceptTcpClientAsync();
            var stream = client.GetStream();
            var request = new byte[64 * 1024];
            var read = 0;
            while (!Encoding.ASCII.GetString(request, 0, read).Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                var more = await stream.ReadAsync(request.AsMemory(read));
                read += more > 0 ? more : throw new IOException("The client hung up before the request headers ended.");
            }

            await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n\r\n"u8.ToArray());
            var chunk = new byte[64 * 1024];
            long written = 0;
            try
            {
                while (true)
                {
                    await stream.WriteAsync(chunk);
                    written += chunk.Length;
                }
            }
            catch (IOException)
            {
                return written;
            }
        }
    }
}
