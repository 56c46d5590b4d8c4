using System.Collections.Concurrent;
using System.Security.Cryptography;
using Azure;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Azure.Storage.Queues;
using EchoPipeline.Jobs.Storage;
using EchoPipeline.Jobs.Tests.Support;
using EchoPipeline.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EchoPipeline.Jobs.Tests.Storage;

/// <summary>Our configuration of the Azure SDK clients (registration, encoding, retry, validation) against Azurite and a loopback server.</summary>
public sealed class EchoStorageTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly LoopbackResponse Busy = new(503, new() { ["x-ms-error-code"] = "ServerBusy" },
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>ServerBusy</Code><Message>The server is busy.</Message></Error>");

    [Fact]
    public async Task Registered_clients_write_base64_queue_bodies_as_the_Functions_bindings_expect()
    {
        using var services = Services(new() { ["EchoStorage"] = azurite.ConnectionString });
        var storage = services.GetRequiredService<EchoStorage>();
        var queue = storage.Queue(UniqueName("encoding"));
        await queue.CreateIfNotExistsAsync();

        await queue.SendMessageAsync("{\"jobId\":\"ü\"}");

        var raw = new QueueClient(azurite.ConnectionString, queue.Name, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });
        var wire = Assert.Single((await raw.PeekMessagesAsync(1)).Value).Body.ToString();
        Assert.Equal("{\"jobId\":\"ü\"}", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(wire)));
        Assert.Equal("{\"jobId\":\"ü\"}", Assert.Single((await queue.ReceiveMessagesAsync(1)).Value).MessageText);
    }

    [Fact]
    public async Task A_message_that_is_not_base64_is_moved_to_the_poison_queue_instead_of_stopping_the_receiver()
    {
        var storage = Storage();
        var queue = storage.Queue(UniqueName("undecodable"));
        var poison = storage.Queue(queue.Name + "-poison");
        await queue.CreateIfNotExistsAsync();
        await poison.CreateIfNotExistsAsync();
        var raw = new QueueClient(azurite.ConnectionString, queue.Name, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });
        await raw.SendMessageAsync("{not base64!}");
        await queue.SendMessageAsync("readable");

        var received = (await queue.ReceiveMessagesAsync(32)).Value;

        Assert.Equal("readable", Assert.Single(received).MessageText);
        Assert.Equal("{not base64!}", Assert.Single((await poison.PeekMessagesAsync(32)).Value).MessageText);
        await queue.DeleteMessageAsync(received[0].MessageId, received[0].PopReceipt);
        Assert.Equal(0, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task Storage_without_a_connection_string_or_both_endpoints_stops_the_host_at_start_up()
    {
        using var host = Host(new() { ["EchoStorage:BlobServiceUri"] = "https://acct.blob.core.windows.net" });

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("EchoStorage__queueServiceUri", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("EchoStorage:MaxRetries", "11", "MaxRetries")]
    [InlineData("EchoStorage:RetryDelay", "00:00:00", "RetryDelay")]
    [InlineData("EchoStorage:BlobServiceUri", "http://acct.blob.core.windows.net", "must be an absolute https URI")]
    public async Task Out_of_range_settings_stop_the_host_at_start_up(string key, string value, string expected)
    {
        using var host = Host(new()
        {
            ["EchoStorage:BlobServiceUri"] = "https://acct.blob.core.windows.net",
            ["EchoStorage:QueueServiceUri"] = "https://acct.queue.core.windows.net",
            [key] = value,
        });

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(expected, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Transient_failures_are_retried_by_the_sdk_policy_with_one_client_request_id()
    {
        await using var server = LoopbackServer.Start(attempt => attempt < 2 ? Busy : new LoopbackResponse(201));
        var container = Loopback(server, maxRetries: 3).Container("videos");

        var created = await container.CreateIfNotExistsAsync();

        Assert.NotNull(created);
        var requests = server.Requests.ToList();
        Assert.Equal(3, requests.Count);
        Assert.All(requests, request => Assert.StartsWith("SharedKey acct:", request["Authorization"], StringComparison.Ordinal));
        Assert.Single(requests.Select(request => request["x-ms-client-request-id"]).Distinct());
    }

    [Fact]
    public async Task When_retries_run_out_the_last_error_surfaces_with_its_status_and_code()
    {
        await using var server = LoopbackServer.Start(_ => Busy);
        var queue = Loopback(server, maxRetries: 2).Queue("echo-jobs");

        var failure = await Assert.ThrowsAsync<RequestFailedException>(() => queue.SendMessageAsync("job"));

        Assert.Equal((503, "ServerBusy"), (failure.Status, failure.ErrorCode));
        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public async Task Client_errors_are_not_retried()
    {
        const string body = "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>InvalidBlockList</Code><Message>The specified block list is invalid.</Message></Error>";
        await using var server = LoopbackServer.Start(_ => new LoopbackResponse(400, new() { ["x-ms-error-code"] = "InvalidBlockList" }, body));
        var blob = Loopback(server, maxRetries: 3).Container("videos").GetBlobClient("a.mp4");

        var failure = await Assert.ThrowsAsync<RequestFailedException>(() => blob.UploadAsync(BinaryData.FromString("x"), BlobUpload.As("video/mp4")));

        Assert.Equal((400, "InvalidBlockList"), (failure.Status, failure.ErrorCode));
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task A_conditional_create_never_overwrites_an_existing_blob()
    {
        var container = await ContainerAsync("conditional");
        var blob = container.GetBlobClient("submitted/abc");
        var first = await blob.UploadAsync(BinaryData.FromString("first"), BlobUpload.As("text/plain", new BlobRequestConditions { IfNoneMatch = ETag.All }));

        var failure = await Assert.ThrowsAsync<RequestFailedException>(() =>
            blob.UploadAsync(BinaryData.FromString("second"), BlobUpload.As("text/plain", new BlobRequestConditions { IfNoneMatch = ETag.All })));

        Assert.Equal(409, failure.Status);
        var kept = (await blob.DownloadContentAsync()).Value;
        Assert.Equal(("first", first.Value.ETag), (kept.Content.ToString(), kept.Details.ETag));
    }

    [Fact]
    public async Task A_64_MiB_video_uploads_in_blocks_and_streams_back_byte_identical()
    {
        const long length = 64L * 1024 * 1024;
        var container = await ContainerAsync("large");
        var blob = container.GetBlobClient("video/big.bin");

        await using var source = new PatternStream(length, seed: 20241209);
        var uploaded = await blob.UploadAsync(source, BlobUpload.As("application/octet-stream"));
        var sourceHash = source.GetHash();

        using var download = (await blob.DownloadStreamingAsync()).Value;
        var downloadedHash = await SHA256.HashDataAsync(download.Content);

        Assert.Equal(length, download.Details.ContentLength);
        Assert.Equal(uploaded.Value.ETag, download.Details.ETag);
        Assert.Equal("application/octet-stream", download.Details.ContentType);
        Assert.Equal(Convert.ToHexString(sourceHash), Convert.ToHexString(downloadedHash));
        Assert.True((await container.GetBlockBlobClient(blob.Name).GetBlockListAsync()).Value.CommittedBlocks.Count() > 1, "a 64 MiB unseekable upload is staged in blocks");
    }

    [Fact]
    public async Task Listing_follows_continuation_tokens_across_pages()
    {
        var container = await ContainerAsync("paging");
        var names = Enumerable.Range(0, 7).Select(i => $"clip {i} ü.mp4").ToList();
        foreach (var name in names)
        {
            await container.GetBlobClient(name).UploadAsync(BinaryData.FromString(name), BlobUpload.As("video/mp4"));
        }

        var pages = new List<int>();
        var listed = new List<string>();
        await foreach (var page in container.GetBlobsAsync(new GetBlobsOptions()).AsPages(pageSizeHint: 3))
        {
            pages.Add(page.Values.Count);
            listed.AddRange(page.Values.Select(b => b.Name));
        }

        Assert.Equal([3, 3, 1], pages);
        Assert.Equal(names.Order(StringComparer.Ordinal), listed);
    }

    [Fact]
    public async Task A_thousand_messages_are_each_consumed_exactly_once_by_four_concurrent_consumers()
    {
        const int messageCount = 1000;
        var queue = Storage().Queue(UniqueName("jobs"));
        await queue.CreateIfNotExistsAsync();
        var expected = Enumerable.Range(0, messageCount).Select(i => $"job-{i:D4}").ToList();
        await Parallel.ForEachAsync(expected, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (body, ct) =>
            await queue.SendMessageAsync(body, ct));

        var deliveries = new ConcurrentDictionary<string, int>();
        var deleted = 0;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        async Task ConsumeAsync()
        {
            while (Volatile.Read(ref deleted) < messageCount && !deadline.IsCancellationRequested)
            {
                var batch = (await queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(2), deadline.Token)).Value;
                foreach (var message in batch)
                {
                    deliveries.AddOrUpdate(message.MessageText, 1, (_, seen) => seen + 1);
                    await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, deadline.Token);
                    Interlocked.Increment(ref deleted);
                }

                if (batch.Length == 0)
                {
                    await Task.Delay(50, deadline.Token);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(ConsumeAsync)));

        Assert.Equal(expected, deliveries.Keys.Order(StringComparer.Ordinal));
        Assert.All(deliveries, delivery => Assert.Equal(1, delivery.Value));
        Assert.Equal(messageCount, deleted);
        Assert.Equal(0, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    private EchoStorage Storage() => EchoStorage.Create(new EchoStorageOptions { ConnectionString = azurite.ConnectionString });

    private async Task<Azure.Storage.Blobs.BlobContainerClient> ContainerAsync(string prefix)
    {
        var container = Storage().Container(UniqueName(prefix));
        await container.CreateIfNotExistsAsync();
        return container;
    }

    private static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 17, 63)];

    private static EchoStorage Loopback(LoopbackServer server, int maxRetries)
    {
        var key = Convert.ToBase64String("loopback-test-key"u8);
        return EchoStorage.Create(new EchoStorageOptions
        {
            ConnectionString = $"BlobEndpoint={server.Endpoint}acct;QueueEndpoint={server.Endpoint}acct;AccountName=acct;AccountKey={key}",
            MaxRetries = maxRetries,
            RetryDelay = TimeSpan.FromMilliseconds(10),
            MaxRetryDelay = TimeSpan.FromMilliseconds(20),
        });
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings) =>
        new ServiceCollection().AddEchoStorage(new ConfigurationBuilder().AddInMemoryCollection(settings).Build()).BuildServiceProvider();

    private static IHost Host(Dictionary<string, string?> settings)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddEchoStorage(builder.Configuration);
        return builder.Build();
    }
}
