using System.Text.Json;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using EchoPipeline.Jobs;
using EchoPipeline.Worker.Tests.Support;
using EchoPipeline.Worker.Webhooks;

namespace EchoPipeline.Worker.Tests.Webhooks;

/// <summary>
/// The outbox and its dispatcher over Azurite and real HTTP, without the engine: jobs are seeded as a worker leaves them
/// after writing the final record (callback pending), with or without their outbox entry.
/// </summary>
[Collection(WorkerGroup.Name)]
public sealed class WebhookDeliveryTests(WorkerFixture fixture) : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private WebhookOutbox Outbox => new(fixture.Storage, TimeProvider.System);

    public Task InitializeAsync() => fixture.ClearOutboxAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>A replica died holding the entry (its lease is never renewed nor released): the entry waits for the lease to lapse, then goes, once.</summary>
    [Fact]
    public async Task Entry_left_by_a_replica_that_died_is_delivered_once_its_lease_lapses_with_its_webhook_id()
    {
        using var receiver = new WebhookReceiver();
        var record = await SeedAsync("outbox/orphan.png", receiver.Url);
        var entry = fixture.Container(StorageNames.WebhooksContainer).GetBlobClient(StorageNames.WebhookBlob(WebhookOutbox.WebhookId(record)));
        await entry.GetBlobLeaseClient().AcquireAsync(TimeSpan.FromSeconds(15));
        var leased = TimeProvider.System.GetTimestamp();
        await using var host = await DispatcherHost.StartAsync(fixture);

        var settled = await WaitSettledAsync(record);

        Assert.Equal(new CallbackDelivery("delivered", 1, settled.Callback!.At, 204), settled.Callback);
        var request = Assert.Single(receiver.Requests);
        Assert.Equal($"msg_{record.Id}_succeeded", request.Id);
        Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(record, JobJsonContext.Default.JobRecord), request.Body);
        Assert.True(TimeProvider.System.GetElapsedTime(leased, request.Timestamp) > TimeSpan.FromSeconds(14), "Delivered while another replica held the entry.");
        Assert.Empty(await fixture.ListAsync(StorageNames.WebhooksContainer));
    }

    [Fact]
    public async Task Receiver_that_is_down_then_up_gets_exactly_one_successful_delivery_per_job()
    {
        var url = WebhookReceiver.FreeUrl();
        var records = new List<JobRecord>();
        for (var i = 0; i < 3; i++)
        {
            records.Add(await SeedAsync($"outbox/down-then-up-{i}.png", url));
        }

        await using var host = await DispatcherHost.StartAsync(fixture, new Dictionary<string, string?> { ["Webhooks:MaxRetries"] = "20" });
        await Waiting.UntilAsync(async () => (await SchedulesAsync()).Sum(s => s.Attempts) >= 3, Bound, "three failed attempts on the receiver that is down");
        using var receiver = new WebhookReceiver(url);

        var settled = await Task.WhenAll(records.Select(WaitSettledAsync));

        Assert.All(settled, r => Assert.Equal("delivered", r.Callback!.Status));
        var byId = receiver.Requests.GroupBy(r => r.Id).ToDictionary(g => g.Key, g => g.ToList());
        Assert.Equal(records.Select(r => $"msg_{r.Id}_succeeded").Order(), byId.Keys.Order());
        Assert.All(byId.Values, requests => Assert.Single(requests, r => r.StatusCode is >= 200 and < 300));
        Assert.Empty(await fixture.ListAsync(StorageNames.WebhooksContainer));
    }

    /// <summary>
    /// The dead receiver takes the first request and never answers within the test (the attempt timeout is 10 minutes):
    /// a dispatcher that delivered one at a time could not deliver the second job's webhook before the bound.
    /// </summary>
    [Fact]
    public async Task Dead_receiver_does_not_delay_another_receivers_delivery()
    {
        using var dead = new WebhookReceiver(new WebhookReply(204, Hold: TimeSpan.FromMinutes(10)));
        using var alive = new WebhookReceiver(WebhookReceiver.FreeUrl("127.0.0.2"));
        var stuck = await SeedAsync("outbox/dead-receiver.png", dead.Url);
        await using var host = await DispatcherHost.StartAsync(fixture, new Dictionary<string, string?> { ["Webhooks:AttemptTimeout"] = "00:10:00" });
        await Waiting.UntilAsync(() => !dead.Requests.IsEmpty, Bound, "the dead receiver to take its request");

        var next = await SeedAsync("outbox/live-receiver.png", alive.Url, addEntry: false);
        await host.Dispatcher.AddAsync(next, CancellationToken.None);
        var delivered = await WaitSettledAsync(next);

        Assert.Equal("delivered", delivered.Callback!.Status);
        Assert.Single(alive.Requests);
        Assert.Single(dead.Requests);
        Assert.Equal("pending", (await fixture.ReadJobAsync(stuck.Id)).Callback!.Status);
    }

    /// <summary>The backoff starts at 50 ms (capped at 1 s here), so only Retry-After explains a wait of 2 s.</summary>
    [Fact]
    public async Task Retry_After_of_the_receiver_defers_the_next_attempt()
    {
        using var receiver = new WebhookReceiver(new WebhookReply(503, RetryAfterSeconds: 2));
        var record = await SeedAsync("outbox/retry-after.png", receiver.Url);
        await using var host = await DispatcherHost.StartAsync(fixture, new Dictionary<string, string?> { ["Webhooks:MaxDelay"] = "00:00:05" });

        var settled = await WaitSettledAsync(record);

        Assert.Equal(new CallbackDelivery("delivered", 2, settled.Callback!.At, 204), settled.Callback);
        var requests = receiver.Requests.OrderBy(r => r.Index).ToArray();
        Assert.Equal(2, requests.Length);
        var waited = TimeProvider.System.GetElapsedTime(requests[0].Timestamp, requests[1].Timestamp);
        Assert.True(waited >= TimeSpan.FromMilliseconds(1950), $"The retry came {waited.TotalMilliseconds:F0} ms after the 503 that asked for 2 s.");
    }

    [Fact]
    public async Task Delivery_gives_up_when_the_retries_run_out()
    {
        var record = await SeedAsync("outbox/retries-run-out.png", WebhookReceiver.FreeUrl());
        await using var host = await DispatcherHost.StartAsync(fixture, new Dictionary<string, string?> { ["Webhooks:MaxRetries"] = "2" });

        var settled = await WaitSettledAsync(record);

        Assert.Equal("failed", settled.Callback!.Status);
        Assert.Equal(3, settled.Callback.Attempts);
        Assert.Null(settled.Callback.StatusCode);
        Assert.Contains("Gave up after 3 attempt(s)", settled.Callback.Error, StringComparison.Ordinal);
        Assert.Empty(await fixture.ListAsync(StorageNames.WebhooksContainer));
    }

    [Fact]
    public async Task Delivery_gives_up_when_the_total_timeout_runs_out()
    {
        var record = await SeedAsync("outbox/total-timeout.png", WebhookReceiver.FreeUrl());
        await using var host = await DispatcherHost.StartAsync(fixture, new Dictionary<string, string?>
        {
            ["Webhooks:MaxRetries"] = "20",
            ["Webhooks:InitialDelay"] = "00:00:00.100",
            ["Webhooks:MaxDelay"] = "00:00:00.200",
            ["Webhooks:AttemptTimeout"] = "00:00:01",
            ["Webhooks:TotalTimeout"] = "00:00:01.500",
        });

        var settled = await WaitSettledAsync(record);

        Assert.Equal("failed", settled.Callback!.Status);
        Assert.InRange(settled.Callback.Attempts, 2, 19);
        Assert.Contains("Webhooks:TotalTimeout 00:00:01.5", settled.Callback.Error, StringComparison.Ordinal);
    }

    /// <summary>A replica recorded the outcome and died before removing the entry: the entry goes without a second POST.</summary>
    [Fact]
    public async Task Entry_whose_outcome_is_already_on_the_record_is_removed_without_a_second_delivery()
    {
        using var receiver = new WebhookReceiver();
        var record = await SeedAsync("outbox/already-recorded.png", receiver.Url);
        var stored = (await fixture.Jobs.GetAsync(record.Id))!;
        var outcome = new CallbackDelivery("delivered", 1, DateTimeOffset.UtcNow, 204);
        await fixture.Jobs.UpdateAsync(stored.Record with { Callback = outcome }, stored.ETag);
        await using var host = await DispatcherHost.StartAsync(fixture);

        await Waiting.UntilAsync(async () => (await fixture.ListAsync(StorageNames.WebhooksContainer)).Count == 0, Bound, "the outbox entry to be removed");

        Assert.Empty(receiver.Requests);
        Assert.Equal(outcome, (await fixture.ReadJobAsync(record.Id)).Callback);
    }

    /// <summary>Two replicas list the same entries at once; the leases let each webhook through once.</summary>
    [Fact]
    public async Task Two_dispatchers_deliver_each_webhook_once()
    {
        using var receiver = new WebhookReceiver(Enumerable.Repeat(new WebhookReply(204, Hold: TimeSpan.FromMilliseconds(200)), 16).ToArray());
        var records = new List<JobRecord>();
        for (var i = 0; i < 8; i++)
        {
            records.Add(await SeedAsync($"outbox/two-replicas-{i}.png", receiver.Url));
        }

        await using var first = await DispatcherHost.StartAsync(fixture);
        await using var second = await DispatcherHost.StartAsync(fixture);

        var settled = await Task.WhenAll(records.Select(WaitSettledAsync));

        Assert.All(settled, r => Assert.Equal(new CallbackDelivery("delivered", 1, r.Callback!.At, 204), r.Callback));
        Assert.Equal(records.Select(r => $"msg_{r.Id}_succeeded").Order(), receiver.Requests.Select(r => r.Id).Order());
    }

    [Fact]
    public async Task HTTP_target_is_recorded_as_refused_without_an_attempt_unless_allowed()
    {
        using var receiver = new WebhookReceiver();
        var record = await SeedAsync("outbox/http.png", receiver.Url);
        await using var host = await DispatcherHost.StartAsync(fixture, new Dictionary<string, string?> { ["Webhooks:AllowHttp"] = "false" });

        var settled = await WaitSettledAsync(record);

        Assert.Equal("refused", settled.Callback!.Status);
        Assert.Equal(0, settled.Callback.Attempts);
        Assert.Contains("Webhooks:AllowHttp", settled.Callback.Error, StringComparison.Ordinal);
        Assert.Empty(receiver.Requests);
    }

    [Fact]
    public async Task Failed_job_gets_its_own_webhook_id_and_the_failed_record()
    {
        using var receiver = new WebhookReceiver();
        var record = await SeedAsync("outbox/failed-job.png", receiver.Url, status: JobStatus.Failed);
        await using var host = await DispatcherHost.StartAsync(fixture);

        await WaitSettledAsync(record);

        var request = Assert.Single(receiver.Requests);
        Assert.Equal($"msg_{record.Id}_failed", request.Id);
        Assert.Equal(JobStatus.Failed, JsonSerializer.Deserialize(request.Body, JobJsonContext.Default.JobRecord)!.Status);
    }

    private async Task<JobRecord> SeedAsync(string name, Uri callback, bool addEntry = true, JobStatus status = JobStatus.Succeeded)
    {
        var record = await fixture.SeedFinishedJobAsync(name, callback, status);
        if (addEntry)
        {
            await Outbox.AddAsync(record, CancellationToken.None);
        }

        return record;
    }

    private Task<JobRecord> WaitSettledAsync(JobRecord record) => fixture.WaitForAsync(record.Id, r => r.Callback?.Status is not (null or "pending"), Bound);

    private async Task<List<OutboxSchedule>> SchedulesAsync()
    {
        var schedules = new List<OutboxSchedule>();
        await foreach (var blob in fixture.Container(StorageNames.WebhooksContainer).GetBlobsAsync(new GetBlobsOptions { Traits = BlobTraits.Metadata }))
        {
            schedules.Add(OutboxSchedule.From(blob.Metadata));
        }

        return schedules;
    }
}
