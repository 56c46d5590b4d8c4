using EchoPipeline.Jobs;
using EchoPipeline.Worker.Processing;
using EchoPipeline.Worker.Tests.Support;

namespace EchoPipeline.Worker.Tests.Queue;

[Collection(WorkerGroup.Name)]
public sealed class PoisonTests(WorkerFixture fixture) : IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ClearQueuesAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Job_with_missing_frame_ends_in_poison_queue_failed_after_five_dequeues()
    {
        var id = await fixture.SeedJobAsync("poison/no-frame.png", writeFrames: false);
        var logs = new LogCapture();
        await using var host = await WorkerHost.StartAsync(fixture, new Dictionary<string, string?> { ["Worker:VisibilityTimeout"] = "00:00:03" }, logs);

        var record = await fixture.WaitForAsync(id, r => r.Status is JobStatus.Failed or JobStatus.Succeeded, TimeSpan.FromSeconds(60));

        Assert.Equal(JobStatus.Failed, record.Status);
        Assert.Equal(WorkerErrorCodes.FrameMissing, record.Error!.Code);
        Assert.Contains($"frames/{id}/0000.rgb24", record.Error.Message, StringComparison.Ordinal);
        Assert.NotNull(record.CompletedAt);
        var poisoned = await WaitForPoisonAsync();
        Assert.Equal(JobMessage.Parse(poisoned.Single().MessageText).JobId, id);
        Assert.Empty((await fixture.JobsQueue.PeekMessagesAsync(32)).Value);

        // The give-up log follows the move to the poison queue; a graceful stop lets the batch finish writing it.
        await host.StopAsync();
        Assert.Equal(5, logs.Count(5, id.Value));
        Assert.Equal(1, logs.Count(6, id.Value));
    }

    [Fact]
    public async Task Message_for_unknown_job_goes_to_poison_queue()
    {
        await fixture.JobsQueue.SendMessageAsync(JobMessage.For(JobId.Parse(new string('a', 32))).ToJson());
        await fixture.JobsQueue.SendMessageAsync("{not json");
        await using var host = await WorkerHost.StartAsync(fixture);

        var poisoned = await WaitForPoisonAsync(2);

        Assert.Contains(poisoned, m => m.MessageText == "{not json");
        Assert.Empty((await fixture.JobsQueue.PeekMessagesAsync(32)).Value);
    }

    [Fact]
    public async Task A_message_that_is_not_base64_goes_to_the_poison_queue_and_the_worker_keeps_serving()
    {
        var raw = new Azure.Storage.Queues.QueueClient(fixture.Azurite.ConnectionString, StorageNames.JobsQueue);
        await raw.SendMessageAsync("<not base64>");
        var id = await fixture.SeedJobAsync("poison/after-undecodable.png");
        await using var host = await WorkerHost.StartAsync(fixture);

        var record = await fixture.WaitForAsync(id, r => r.Status is JobStatus.Failed or JobStatus.Succeeded, TimeSpan.FromSeconds(60));

        Assert.Equal(JobStatus.Succeeded, record.Status);
        Assert.Equal("<not base64>", Assert.Single(await WaitForPoisonAsync()).MessageText);
    }

    [Fact]
    public async Task A_corrupt_job_record_sends_its_message_to_the_poison_queue_once_and_leaves_the_record_as_it_is()
    {
        var corrupt = await fixture.SeedJobAsync("poison/corrupt-record.png");
        var garbage = BinaryData.FromString("{\"id\": \"not a record\"");
        await fixture.Container(StorageNames.JobsContainer).GetBlobClient(StorageNames.JobRecordBlob(corrupt)).UploadAsync(garbage, overwrite: true);
        var healthy = await fixture.SeedJobAsync("poison/healthy-after-corrupt.png");
        var logs = new LogCapture();
        await using var host = await WorkerHost.StartAsync(fixture, logs: logs);

        var record = await fixture.WaitForAsync(healthy, r => r.Status is JobStatus.Failed or JobStatus.Succeeded, TimeSpan.FromSeconds(60));
        var poisoned = await WaitForPoisonAsync();

        Assert.Equal(JobStatus.Succeeded, record.Status);
        Assert.Equal(corrupt, JobMessage.Parse(Assert.Single(poisoned).MessageText).JobId);
        Assert.Equal(garbage.ToString(), System.Text.Encoding.UTF8.GetString(await fixture.DownloadAsync(StorageNames.JobsContainer, StorageNames.JobRecordBlob(corrupt))));
        await host.StopAsync();
        Assert.Equal(1, logs.Count(31, corrupt.Value));
    }

    [Fact]
    public async Task Message_of_a_succeeded_job_is_acknowledged_without_rerunning()
    {
        var id = await fixture.SeedJobAsync("poison/done.png");
        var stored = (await fixture.Jobs.GetAsync(id))!;
        var done = await fixture.Jobs.UpdateAsync(stored.Record with { Status = JobStatus.Succeeded }, stored.ETag);
        var logs = new LogCapture();
        await using var host = await WorkerHost.StartAsync(fixture, logs: logs);

        await WaitUntilAsync(async () => (await fixture.JobsQueue.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0);

        Assert.Equal(done.ETag, (await fixture.Jobs.GetAsync(id))!.ETag);
        Assert.Equal(1, logs.Count(7, id.Value));
        Assert.Equal(0, logs.Count(3, id.Value));
        Assert.Empty(await fixture.ListAsync(StorageNames.AudioContainer, id.Value));
    }

    private async Task<IReadOnlyList<Azure.Storage.Queues.Models.PeekedMessage>> WaitForPoisonAsync(int count = 1)
    {
        IReadOnlyList<Azure.Storage.Queues.Models.PeekedMessage> peeked = [];
        await WaitUntilAsync(async () => (peeked = (await fixture.PoisonQueue.PeekMessagesAsync(32)).Value).Count >= count);
        return peeked;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Condition not met within 30 s.");
            await Task.Delay(100);
        }
    }
}
