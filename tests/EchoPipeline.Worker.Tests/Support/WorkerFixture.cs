using System.Security.Cryptography;
using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using Azure.Storage.Queues;
using EchoPipeline.Jobs;
using EchoPipeline.Jobs.Storage;
using EchoPipeline.LocalServices;
using EchoPipeline.Testing;

namespace EchoPipeline.Worker.Tests.Support;

/// <summary>One Azurite for the worker tests, and jobs written the way the ingest writes them (frames, record, message, enqueuedAt).</summary>
public sealed class WorkerFixture : IAsyncLifetime
{
    private AzuriteServer? _azurite;

    public AzuriteServer Azurite => _azurite!;

    /// <summary>Reads queue bodies as Base64, like the ingest writes them.</summary>
    public EchoStorage Storage { get; private set; } = null!;

    public JobStore Jobs { get; private set; } = null!;

    public static string TinyBundle => RepoPaths.Fixture("bundles", "tiny");

    public QueueClient JobsQueue => Storage.Queue(StorageNames.JobsQueue);

    public QueueClient PoisonQueue => Storage.Queue(StorageNames.PoisonQueue);

    public BlobContainerClient Container(string name) => Storage.Container(name);

    public async Task InitializeAsync()
    {
        _azurite = await AzuriteServer.StartAsync(RepoPaths.Azurite);
        Storage = EchoStorage.Create(new EchoStorageOptions { ConnectionString = _azurite.ConnectionString });
        Jobs = new JobStore(Storage);
        foreach (var container in StorageNames.Containers)
        {
            await Container(container).CreateIfNotExistsAsync();
        }

        foreach (var queue in StorageNames.Queues)
        {
            await Storage.Queue(queue).CreateIfNotExistsAsync();
        }
    }

    /// <summary>Empties both queues (visible and hidden messages) so a test sees only its own.</summary>
    public async Task ClearQueuesAsync()
    {
        await JobsQueue.ClearMessagesAsync();
        await PoisonQueue.ClearMessagesAsync();
    }

    /// <summary>Continuing windows start 45 token columns of 4096 samples apart (as the planner spaces a long shot's).</summary>
    private const double Stride = 45 * 4096 / 22050.0;


    /// <summary>
    /// A queued job as the ingest leaves it: a random (seeded) 256x256 rgb24 frame per segment in frames/, the record
    /// in jobs/ created with If-None-Match, the claim-check message, then enqueuedAt stamped with If-Match. Segments
    /// listed in <paramref name="cutsBefore"/> start a shot.
    /// </summary>
    public async Task<JobId> SeedJobAsync(
        string name, JobParameters? parameters = null, int segments = 1, bool writeFrames = true, MediaSummary? media = null, string? bundleId = null, int[]? cutsBefore = null)
    {
        parameters = (parameters ?? new JobParameters { Steps = 4 }).Normalize();
        var id = JobId.Derive(SourceIdentity.ForBlob(StorageNames.VideosContainer, name, "0x1"), parameters, "tiny-test");
        var now = DateTimeOffset.UtcNow;
        var segmentList = Enumerable.Range(0, segments)
            .Select(i => new JobSegment(i, i * Stride, 9.845, (i * Stride) + 4.92, StorageNames.FramePngBlob(id, i), StorageNames.FrameRawBlob(id, i), cutsBefore?.Contains(i) == true))
            .ToList();
        if (writeFrames)
        {
            foreach (var segment in segmentList)
            {
                await Container(StorageNames.FramesContainer).GetBlobClient(segment.FrameRaw!).UploadAsync(BinaryData.FromBytes(Frame($"{name}/{segment.Index}")), overwrite: true);
            }
        }

        var record = new JobRecord
        {
            Id = id, Status = JobStatus.Queued, CreatedAt = now, UpdatedAt = now,
            Source = new JobSource { Kind = "blob", Container = StorageNames.VideosContainer, BlobName = name, ETag = "0x1" },
            Parameters = parameters with { Seed = parameters.ResolveSeed(id) },
            Media = media ?? new MediaSummary("image", 0, 256, 256),
            Segments = segmentList,
            BundleId = bundleId,
        };
        var (stored, _) = await Jobs.CreateAsync(record);
        await new JobQueueClient(Storage).EnqueueAsync(id);
        await Jobs.UpdateAsync(stored.Record with { EnqueuedAt = DateTimeOffset.UtcNow }, stored.ETag);
        return id;
    }

    /// <summary>
    /// A job as a worker leaves it right after writing its final record: <paramref name="status"/>, callback pending,
    /// no outbox entry yet (add one with <see cref="EchoPipeline.Worker.Webhooks.WebhookOutbox"/> to model the next step).
    /// </summary>
    public async Task<JobRecord> SeedFinishedJobAsync(string name, Uri callback, JobStatus status = JobStatus.Succeeded)
    {
        var parameters = new JobParameters { Steps = 2, CallbackUrl = callback }.Normalize();
        var id = JobId.Derive(SourceIdentity.ForBlob(StorageNames.VideosContainer, name, "0x1"), parameters, "tiny-test");
        var now = DateTimeOffset.UtcNow;
        var record = EchoPipeline.Worker.Webhooks.WebhookDispatcher.WithPendingCallback(new JobRecord
        {
            Id = id, Status = status, CreatedAt = now, UpdatedAt = now, CompletedAt = now,
            Source = new JobSource { Kind = "blob", Container = StorageNames.VideosContainer, BlobName = name, ETag = "0x1" },
            Parameters = parameters with { Seed = parameters.ResolveSeed(id) },
            Error = status == JobStatus.Failed ? new JobError("internal_error", "seeded failure") : null,
        }, now);
        var (stored, created) = await Jobs.CreateAsync(record);
        Assert.True(created, $"Job {id} ({name}) exists already; seed each test with its own name.");
        return stored.Record;
    }

    /// <summary>Empties the webhook outbox, breaking any lease a test left, so a test's dispatcher sees only its own entries.</summary>
    public async Task ClearOutboxAsync()
    {
        var outbox = Container(StorageNames.WebhooksContainer);
        await foreach (var blob in outbox.GetBlobsAsync())
        {
            var client = outbox.GetBlobClient(blob.Name);
            try
            {
                await client.GetBlobLeaseClient().BreakAsync(TimeSpan.Zero);
            }
            catch (Azure.RequestFailedException ex) when (ex.Status is 404 or 409)
            {
                // Not leased.
            }

            await client.DeleteIfExistsAsync();
        }
    }

    public async Task<JobRecord> ReadJobAsync(JobId id) => (await Jobs.GetAsync(id))!.Record;

    public async Task<byte[]> DownloadAsync(string container, string name) =>
        (await Container(container).GetBlobClient(name).DownloadContentAsync()).Value.Content.ToArray();

    public async Task<List<string>> ListAsync(string container, string? prefix = null)
    {
        var names = new List<string>();
        await foreach (var item in Container(container).GetBlobsAsync(new Azure.Storage.Blobs.Models.GetBlobsOptions { Prefix = prefix }))
        {
            names.Add(item.Name);
        }

        return names;
    }

    /// <summary>Polls until every job is final (succeeded or failed) or the timeout passes; returns the records.</summary>
    public async Task<IReadOnlyList<JobRecord>> WaitForFinalAsync(IEnumerable<JobId> ids, TimeSpan timeout)
    {
        var pending = ids.ToList();
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var records = new List<JobRecord>();
            foreach (var id in pending)
            {
                records.Add(await ReadJobAsync(id));
            }

            if (records.All(r => r.Status is JobStatus.Succeeded or JobStatus.Failed) || DateTime.UtcNow > deadline)
            {
                return records;
            }

            await Task.Delay(200);
        }
    }

    public async Task<JobRecord> WaitForAsync(JobId id, Func<JobRecord, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var record = await ReadJobAsync(id);
            if (condition(record))
            {
                return record;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Job {id} did not reach the expected state within {timeout}; it is {JsonSerializer.Serialize(record, JobJsonContext.Default.JobRecord)}");
            await Task.Delay(100);
        }
    }

    /// <summary>Deterministic pseudo-random frame bytes for a label.</summary>
    public static byte[] Frame(string label)
    {
        var frame = new byte[256 * 256 * 3];
        var block = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(label));
        for (var i = 0; i < frame.Length; i++)
        {
            frame[i] = (byte)(block[i % block.Length] ^ (i * 31 / 7));
        }

        return frame;
    }

    public async Task DisposeAsync()
    {
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class WorkerGroup : ICollectionFixture<WorkerFixture>
{
    public const string Name = "worker";
}
