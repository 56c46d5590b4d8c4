using Azure;
using Azure.Storage.Queues;
using EchoPipeline.Jobs.Storage;
using EchoPipeline.Testing;

namespace EchoPipeline.Jobs.Tests.Storage;

public class JobStoreTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private EchoStorage _storage = null!;

    public async Task InitializeAsync()
    {
        _storage = EchoStorage.Create(new EchoStorageOptions { ConnectionString = azurite.ConnectionString });
        await _storage.Container(StorageNames.JobsContainer).CreateIfNotExistsAsync();
        await _storage.Queue(StorageNames.JobsQueue).CreateIfNotExistsAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static JobRecord Record(string blob, JobStatus status = JobStatus.Queued)
    {
        var id = JobId.Derive(SourceIdentity.ForBlob("videos", blob, "0x1"), new JobParameters(), "echo-demo");
        var at = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        return new JobRecord
        {
            Id = id, Status = status, CreatedAt = at, UpdatedAt = at,
            Source = new JobSource { Kind = "blob", Container = "videos", BlobName = blob },
            Parameters = new JobParameters().Normalize(),
        };
    }

    [Fact]
    public async Task Create_then_get_round_trips_the_record_and_its_etag()
    {
        var store = new JobStore(_storage);
        var (created, isNew) = await store.CreateAsync(Record("roundtrip.mp4"));

        var read = await store.GetAsync(created.Record.Id);

        Assert.True(isNew);
        Assert.Equal(created.ETag, read!.ETag);
        Assert.Equal("roundtrip.mp4", read.Record.Source.BlobName);
    }

    [Fact]
    public async Task A_second_create_with_the_same_id_returns_the_first_record_unchanged()
    {
        var store = new JobStore(_storage);
        var first = Record("twice.mp4");
        await store.CreateAsync(first);

        var (existing, isNew) = await store.CreateAsync(first with { Status = JobStatus.Failed });

        Assert.False(isNew);
        Assert.Equal(JobStatus.Queued, existing.Record.Status);
        Assert.Equal(JobStatus.Queued, (await store.GetAsync(first.Id))!.Record.Status);
    }

    [Fact]
    public async Task Concurrent_creates_of_one_id_make_exactly_one_record()
    {
        var store = new JobStore(_storage);
        var record = Record("race.mp4");

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => store.CreateAsync(record with { Error = new JobError("writer", $"{i}") })));

        var winner = Assert.Single(results, r => r.Created);
        Assert.All(results, r => Assert.Equal(winner.Job.ETag, r.Job.ETag));
        Assert.Equal(winner.Job.Record.Error, (await store.GetAsync(record.Id))!.Record.Error);
    }

    [Fact]
    public async Task An_update_with_a_stale_etag_is_refused_with_412()
    {
        var store = new JobStore(_storage);
        var (stored, _) = await store.CreateAsync(Record("stale.mp4"));
        await store.UpdateAsync(stored.Record with { Status = JobStatus.Running }, stored.ETag);

        var ex = await Assert.ThrowsAsync<RequestFailedException>(() => store.UpdateAsync(stored.Record with { Status = JobStatus.Failed }, stored.ETag));

        Assert.Equal(412, ex.Status);
        Assert.Equal(JobStatus.Running, (await store.GetAsync(stored.Record.Id))!.Record.Status);
    }

    [Fact]
    public async Task An_unknown_id_reads_as_null() =>
        Assert.Null(await new JobStore(_storage).GetAsync(JobId.Parse("00000000000000000000000000000000")));

    [Fact]
    public async Task The_claim_check_message_is_base64_json_with_only_the_id_and_version()
    {
        var queue = _storage.Queue(StorageNames.JobsQueue);
        await queue.ClearMessagesAsync();
        var id = JobId.Parse("0123456789abcdef0123456789abcdef");

        await new JobQueueClient(_storage).EnqueueAsync(id);

        // Read raw (no decoding) to see what a Functions queue trigger would see on the wire.
        var raw = new QueueClient(azurite.ConnectionString, StorageNames.JobsQueue, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });
        var peeked = Assert.Single((await raw.PeekMessagesAsync(5)).Value);
        var text = peeked.Body.ToString();
        Assert.True(peeked.ExpiresOn > DateTimeOffset.UtcNow.AddYears(100), $"a job message never expires (it expires {peeked.ExpiresOn})");
        Assert.Equal("""{"schemaVersion":1,"jobId":"0123456789abcdef0123456789abcdef"}""", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(text)));
    }
}
