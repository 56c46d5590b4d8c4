using System.Text.Json;
using EchoPipeline.Jobs;
using EchoPipeline.Jobs.Batches;
using EchoPipeline.Jobs.Storage;
using EchoPipeline.Worker.Tests.Support;

namespace EchoPipeline.Worker.Tests.Webhooks;

/// <summary>
/// A batch's completion webhook: two workers finish its jobs concurrently, exactly one marks the batch completed, and
/// its record goes out once through the outbox, signed like job webhooks.
/// </summary>
[Collection(WorkerGroup.Name)]
public sealed class BatchWebhookTests(WorkerFixture fixture) : IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        await fixture.ClearQueuesAsync();
        await fixture.ClearOutboxAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Two_workers_finishing_a_batchs_jobs_send_its_completion_webhook_once_with_the_counts()
    {
        using var receiver = new WebhookReceiver();
        var jobs = new List<JobId>();
        for (var i = 0; i < 6; i++)
        {
            jobs.Add(await fixture.SeedJobAsync($"batches/two-workers-{i}.png", new JobParameters { Steps = 2 }));
        }

        var batch = await CreateBatchAsync(jobs, receiver.Url);
        await using var first = await WorkerHost.StartAsync(fixture);
        await using var second = await WorkerHost.StartAsync(fixture);

        var settled = await WaitForCallbackAsync(batch.Id, TimeSpan.FromSeconds(90));

        Assert.Equal(BatchStatus.Completed, settled.Status);
        Assert.Equal(new BatchCounts(6, 0), settled.Counts);
        Assert.Equal("delivered", settled.Callback!.Status);
        var request = Assert.Single(receiver.Requests);
        Assert.Equal($"msg_batch_{batch.Id}_completed", request.Id);
        Assert.Equal(StandardWebhooksSpec.Signature(request.Id, request.Headers["webhook-timestamp"], request.Body), request.Headers["webhook-signature"]);
        var sent = JsonSerializer.Deserialize(request.Body, BatchJsonContext.Default.BatchRecord)!;
        Assert.Equal((batch.Id, BatchStatus.Completed, 6), (sent.Id, sent.Status, sent.Counts!.Succeeded));
        Assert.All(jobs, j => Assert.Equal(JobStatus.Succeeded, fixture.ReadJobAsync(j).Result.Status));
        Assert.True(sent.CompletedAt >= (await Task.WhenAll(jobs.Select(fixture.ReadJobAsync))).Max(j => j.CompletedAt));
    }

    /// <summary>
    /// What the submit function leaves when every job had finished before the batch existed: the batch completed with
    /// its callback pending and a message for its first (finished) job, whose acknowledgement sends the webhook.
    /// </summary>
    [Fact]
    public async Task A_batch_completed_before_any_worker_saw_it_is_delivered_when_a_finished_jobs_message_comes()
    {
        using var receiver = new WebhookReceiver();
        var done = await fixture.SeedFinishedJobAsync("batches/finished-before.png", new Uri("https://hooks.example.com/job"), JobStatus.Failed);
        var batch = await CreateBatchAsync([done.Id], receiver.Url);
        var completed = await new BatchCompletion(new BatchStore(fixture.Storage), fixture.Jobs, TimeProvider.System).CheckAsync(batch.Id, CancellationToken.None);
        Assert.Equal((BatchStatus.Completed, "pending"), (completed!.Status, completed.Callback!.Status));
        Assert.Empty(receiver.Requests);

        await new JobQueueClient(fixture.Storage).EnqueueAsync(done.Id);
        await using var host = await WorkerHost.StartAsync(fixture);
        var settled = await WaitForCallbackAsync(batch.Id, TimeSpan.FromSeconds(60));

        Assert.Equal(new BatchCounts(0, 1), settled.Counts);
        Assert.Equal($"msg_batch_{batch.Id}_completed", Assert.Single(receiver.Requests).Id);
    }

    private async Task<BatchRecord> CreateBatchAsync(IReadOnlyList<JobId> jobs, Uri callback)
    {
        var store = new BatchStore(fixture.Storage);
        var now = DateTimeOffset.UtcNow;
        var (record, _, created) = await store.CreateAsync(
            new BatchRecord { Id = BatchId.Derive(jobs, callback), Status = BatchStatus.Running, CreatedAt = now, UpdatedAt = now, Jobs = jobs, CallbackUrl = callback },
            CancellationToken.None);
        Assert.True(created);
        await store.AddMembersAsync(record, CancellationToken.None);
        return record;
    }

    private async Task<BatchRecord> WaitForCallbackAsync(BatchId id, TimeSpan timeout)
    {
        var store = new BatchStore(fixture.Storage);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var record = (await store.GetAsync(id, CancellationToken.None))!.Value.Record;
            if (record.Callback?.Status is not (null or "pending"))
            {
                return record;
            }

            Assert.True(DateTime.UtcNow < deadline, $"batch {id} is {record.Status}, callback {record.Callback?.Status ?? "none"} after {timeout}");
            await Task.Delay(200);
        }
    }
}
