using Azure;
using Azure.Core;
using EchoPipeline.Storage.Tests.Support;

namespace EchoPipeline.Storage.Tests.Pipeline;

/// <summary>Retries come from Azure.Core's pipeline (ClientOptions.Retry); a real loopback HTTP server plays a busy service.</summary>
public sealed class RetryTests
{
    private static readonly LoopbackResponse Busy = new(503, new() { ["x-ms-error-code"] = "ServerBusy" }, "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>ServerBusy</Code><Message>The server is busy.</Message></Error>");

    [Fact]
    public async Task TransientFailuresAreRetriedWithAFreshSignatureUntilTheyPass()
    {
        await using var server = LoopbackServer.Start(attempt => attempt < 2 ? Busy : new LoopbackResponse(201));
        var container = Account(server, maxRetries: 3).GetBlobContainerClient("videos");

        var created = await container.CreateIfNotExistsAsync();

        Assert.True(created);
        var requests = server.Requests.ToList();
        Assert.Equal(3, requests.Count);
        Assert.All(requests, request => Assert.StartsWith("SharedKey acct:", request["Authorization"], StringComparison.Ordinal));
        Assert.All(requests, request => Assert.Equal("2025-01-05", request["x-ms-version"]));
        Assert.Single(requests.Select(request => request["x-ms-client-request-id"]).Distinct());
    }

    [Fact]
    public async Task WhenRetriesRunOutTheLastErrorSurfacesWithStatusAndCode()
    {
        await using var server = LoopbackServer.Start(_ => Busy);
        var container = Account(server, maxRetries: 2).GetBlobContainerClient("videos");

        var failure = await Assert.ThrowsAsync<RequestFailedException>(() => container.CreateIfNotExistsAsync());

        Assert.Equal((503, "ServerBusy"), (failure.Status, failure.ErrorCode));
        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public async Task ClientErrorsAreNotRetriedAndTheCodeIsReadFromTheXmlBody()
    {
        const string body = "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>InvalidBlockList</Code><Message>The specified block list is invalid.\nRequestId:1</Message></Error>";
        await using var server = LoopbackServer.Start(_ => new LoopbackResponse(400, Body: body));
        var container = Account(server, maxRetries: 3).GetBlobContainerClient("videos");

        var failure = await Assert.ThrowsAsync<RequestFailedException>(() => container.DeleteIfExistsAsync());

        Assert.Equal((400, "InvalidBlockList"), (failure.Status, failure.ErrorCode));
        Assert.Contains("The specified block list is invalid.", failure.Message, StringComparison.Ordinal);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task AnErrorOnAStreamingDownloadStillCarriesItsCode()
    {
        await using var server = LoopbackServer.Start(_ => new LoopbackResponse(416, Body: "<?xml version=\"1.0\"?><Error><Code>InvalidRange</Code><Message>Bad range.</Message></Error>"));
        var container = Account(server, maxRetries: 0).GetBlobContainerClient("videos");

        var failure = await Assert.ThrowsAsync<RequestFailedException>(() => container.DownloadStreamingAsync("a.mp4"));

        Assert.Equal((416, "InvalidRange"), (failure.Status, failure.ErrorCode));
    }

    private static StorageAccount Account(LoopbackServer server, int maxRetries)
    {
        var options = new StorageClientOptions();
        options.Retry.MaxRetries = maxRetries;
        options.Retry.Mode = RetryMode.Fixed;
        options.Retry.Delay = TimeSpan.FromMilliseconds(10);
        var key = Convert.ToBase64String("loopback-test-key"u8);
        return new StorageAccount($"BlobEndpoint={server.Endpoint}acct;AccountName=acct;AccountKey={key}", options);
    }
}
