using System.Text.Json;
using Azure;
using EchoPipeline.Jobs;
using EchoPipeline.LocalServices;
using Azure.Storage.Blobs;
using EchoPipeline.Jobs.Storage;
using EchoPipeline.Testing;

namespace EchoPipeline.Functions.Tests.Support;

/// <summary>One Azurite, the generated media and the function app's services built against them, shared by the pipeline tests.</summary>
public sealed class PipelineFixture : IAsyncLifetime
{
    private AzuriteServer? _azurite;
    private FunctionApp? _app;

    public TestMedia Media { get; } = new();

    public AzuriteServer Azurite => _azurite!;

    public FunctionApp App => _app!;

    /// <summary>A client for assertions, reading queue bodies as Base64 like the ingest writes them.</summary>
    public EchoStorage Storage { get; private set; } = null!;

    public string TempDirectory { get; } = Directory.CreateTempSubdirectory("echo-functions-work-").FullName;

    public BlobContainerClient Container(string name) => Storage.Container(name);

    public async Task InitializeAsync()
    {
        _azurite = await AzuriteServer.StartAsync(RepoPaths.Azurite);
        Storage = EchoStorage.Create(new EchoStorageOptions { ConnectionString = _azurite.ConnectionString });
        _app = StartApp();
    }

    /// <summary>The app with the test defaults, changed by <paramref name="overrides"/>; <paramref name="configure"/> registers before the app does.</summary>
    public FunctionApp StartApp(IReadOnlyDictionary<string, string?>? overrides = null, Action<IServiceCollection>? configure = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["EchoStorage"] = Azurite.ConnectionString,
            ["Ingest:AllowPrivateNetworkSources"] = "true",
            ["Ingest:AllowHttpSources"] = "true",
            ["Ingest:TempDirectory"] = TempDirectory,
            ["Media:MaxDurationSeconds"] = "3600",
            ["Media:Timeout"] = "00:00:30",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return FunctionApp.Start(settings, configure);
    }

    public async Task<ETag> UploadVideoAsync(string blobName, string path)
    {
        await Container(StorageNames.VideosContainer).CreateIfNotExistsAsync();
        await using var file = File.OpenRead(path);
        return (await Container(StorageNames.VideosContainer).GetBlobClient(blobName).UploadAsync(file, BlobUpload.As("video/mp4"))).Value.ETag;
    }

    /// <summary>Every claim-check message now on echo-jobs (peeked, so they stay).</summary>
    public async Task<IReadOnlyList<JobMessage>> QueuedMessagesAsync()
    {
        var queue = Storage.Queue(StorageNames.JobsQueue);
        await queue.CreateIfNotExistsAsync();
        var peeked = (await queue.PeekMessagesAsync(32)).Value;
        return [.. peeked.Select(m => JobMessage.Parse(m.MessageText))];
    }

    public async Task ClearQueueAsync()
    {
        var queue = Storage.Queue(StorageNames.JobsQueue);
        await queue.CreateIfNotExistsAsync();
        await queue.ClearMessagesAsync();
    }

    public async Task<JobRecord> ReadJobAsync(string id)
    {
        var content = (await Container(StorageNames.JobsContainer).GetBlobClient(StorageNames.JobRecordBlob(JobId.Parse(id))).DownloadContentAsync()).Value.Content;
        return JsonSerializer.Deserialize(content.ToMemory().Span, JobJsonContext.Default.JobRecord)!;
    }

    public async Task<IReadOnlyList<string>> ListAsync(string container, string? prefix = null)
    {
        await Container(container).CreateIfNotExistsAsync();
        var names = new List<string>();
        await foreach (var item in Container(container).GetBlobsAsync(new Azure.Storage.Blobs.Models.GetBlobsOptions { Prefix = prefix }))
        {
            names.Add(item.Name);
        }

        return names;
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }

        Media.Dispose();
        Directory.Delete(TempDirectory, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class PipelineTests : ICollectionFixture<PipelineFixture>
{
    public const string Name = "pipeline";
}
