using EchoPipeline.Ingest;
using System.Net;
using System.Text.Json;
using EchoPipeline.Cli.LocalPipeline;
using EchoPipeline.LocalServices;
using EchoPipeline.Jobs;
using EchoPipeline.Jobs.Storage;

namespace EchoPipeline.Cli.Tests.LocalPipeline;

/// <summary>`watch`'s webhook delivery against Azurite and a loopback endpoint that records what Event Grid would have posted.</summary>
public sealed class ContainerWatcherTests : IAsyncLifetime, IDisposable
{
    private readonly List<(string EventType, JsonElement Body)> _posts = [];
    private readonly HttpListener _listener = new();
    private AzuriteServer _azurite = null!;
    private Uri _webhook = null!;

    public async Task InitializeAsync()
    {
        _azurite = await LocalPipelineHost.StartAzuriteAsync(CancellationToken.None);
        _webhook = new Uri($"http://127.0.0.1:{LoopbackPorts.Free(1)[0]}/api/events/videos/");
        _listener.Prefixes.Add(_webhook.AbsoluteUri);
        _listener.Start();
        _ = AnswerAsync();
    }

    public async Task DisposeAsync()
    {
        _listener.Close();
        await _azurite.DisposeAsync();
    }

    public void Dispose() => ((IDisposable)_listener).Dispose();

    [Fact]
    public async Task Delivers_each_new_blob_version_once_as_an_Event_Grid_BlobCreated_event()
    {
        var account = EchoStorage.Create(new EchoStorageOptions { ConnectionString = _azurite.ConnectionString });
        var videos = account.Container("videos");
        await videos.CreateIfNotExistsAsync();
        await videos.GetBlobClient("old.mp4").UploadAsync(BinaryData.FromString("before the watch"));
        using var http = new HttpClient();
        var watcher = new ContainerWatcher(account, "videos", new WebhookDelivery(http, _webhook, account.Blobs.Uri, IngestOptions.DefaultBundleId, TimeProvider.System));
        await watcher.SkipExistingAsync(CancellationToken.None);

        var etag = (await videos.GetBlobClient("new clip ü.mp4").UploadAsync(BinaryData.FromString("v1"))).Value.ETag;
        var first = await watcher.PollAsync(CancellationToken.None);
        var second = await watcher.PollAsync(CancellationToken.None);
        var etag2 = (await videos.GetBlobClient("new clip ü.mp4").UploadAsync(BinaryData.FromString("v2"), overwrite: true)).Value.ETag;
        var third = await watcher.PollAsync(CancellationToken.None);

        Assert.Equal(["new clip ü.mp4"], first.Select(d => d.BlobName));
        Assert.Equal(JobId.Derive(SourceIdentity.ForBlob("videos", "new clip ü.mp4", etag.ToString()), JobParameters.ForBlobCreated, IngestOptions.DefaultBundleId).Value, first[0].Job.JobId);
        Assert.Empty(second);
        Assert.Equal(["new clip ü.mp4"], third.Select(d => d.BlobName));
        Assert.Equal(2, _posts.Count);
        Assert.All(_posts, p => Assert.Equal("Notification", p.EventType));
        var events = _posts.Select(p => Assert.Single(p.Body.EnumerateArray())).ToList();
        Assert.All(events, e =>
        {
            Assert.Equal("Microsoft.Storage.BlobCreated", e.GetProperty("eventType").GetString());
            Assert.Equal("/blobServices/default/containers/videos/blobs/new clip ü.mp4", e.GetProperty("subject").GetString());
        });
        Assert.Equal([etag.ToString(), etag2.ToString()], events.Select(e => e.GetProperty("data").GetProperty("eTag").GetString()));
        Assert.Equal(2, events[1].GetProperty("data").GetProperty("contentLength").GetInt64());
    }

    // What the blobs extension's webhook answers: 202, the event queued for the function, no body.
    private async Task AnswerAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            using var body = await JsonDocument.ParseAsync(context.Request.InputStream);
            _posts.Add((context.Request.Headers["aeg-event-type"] ?? "", body.RootElement.Clone()));
            context.Response.StatusCode = 202;
            context.Response.Close();
        }
    }
}
