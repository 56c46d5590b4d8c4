using EchoPipeline.Cli.LocalPipeline;
using EchoPipeline.Jobs;
using EchoPipeline.Jobs.Storage;
using EchoPipeline.Testing;

namespace EchoPipeline.Cli.Tests.LocalPipeline;

/// <summary>The local pipeline's waiter against job records in Azurite.</summary>
public sealed class JobWaiterTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private JobStore _store = null!;

    public async Task InitializeAsync()
    {
        var storage = EchoStorage.Create(new EchoStorageOptions { ConnectionString = azurite.ConnectionString });
        await storage.Container(StorageNames.JobsContainer).CreateIfNotExistsAsync();
        _store = new JobStore(storage);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<StoredJob> StoreAsync(string blob, JobStatus status)
    {
        var at = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var record = new JobRecord
        {
            Id = JobId.Derive(SourceIdentity.ForBlob("videos", blob, "0x1"), new JobParameters(), "echo-demo"),
            Status = status, CreatedAt = at, UpdatedAt = at,
            Source = new JobSource { Kind = "blob", Container = "videos", BlobName = blob },
            Parameters = new JobParameters().Normalize(),
        };
        return (await _store.CreateAsync(record)).Job;
    }

    [Fact]
    public async Task Jobs_that_ended_behind_one_still_running_are_reported_at_the_deadline()
    {
        var running = await StoreAsync("stuck.mp4", JobStatus.Running);
        var succeeded = await StoreAsync("done.mp4", JobStatus.Succeeded);
        var failed = await StoreAsync("failed.mp4", JobStatus.Failed);
        var reported = new List<int>();

        var done = await new JobWaiter(_store, TimeProvider.System).WaitAsync(
            [running.Record.Id.Value, succeeded.Record.Id.Value, failed.Record.Id.Value], TimeSpan.FromMilliseconds(600),
            new SynchronousProgress(reported), CancellationToken.None);

        Assert.Equal(new[] { succeeded.Record.Id.Value, failed.Record.Id.Value }.Order(StringComparer.Ordinal), done.Keys.Order(StringComparer.Ordinal));
        Assert.Equal([1, 2], reported);
    }

    [Fact]
    public async Task When_the_first_job_ends_the_ones_that_ended_after_it_are_picked_up_too()
    {
        var slow = await StoreAsync("slow.mp4", JobStatus.Running);
        var quick = await StoreAsync("quick.mp4", JobStatus.Succeeded);
        var waiting = new JobWaiter(_store, TimeProvider.System).WaitAsync(
            [slow.Record.Id.Value, quick.Record.Id.Value], TimeSpan.FromSeconds(30), finished: null, CancellationToken.None);

        await Task.Delay(500);
        await _store.UpdateAsync(slow.Record with { Status = JobStatus.Succeeded }, slow.ETag);
        var done = await waiting;

        Assert.Equal(JobStatus.Succeeded, done[slow.Record.Id.Value].Status);
        Assert.Equal(JobStatus.Succeeded, done[quick.Record.Id.Value].Status);
    }

    /// <summary>Records reports as they are made (Progress&lt;T&gt; posts them to the thread pool, out of order).</summary>
    private sealed class SynchronousProgress(List<int> reports) : IProgress<int>
    {
        public void Report(int value) => reports.Add(value);
    }
}
