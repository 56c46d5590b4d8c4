using Azure;
using EchoPipeline.Storage.Queues;
using EchoPipeline.Storage.Tests.Support;
using EchoPipeline.Testing;

namespace EchoPipeline.Storage.Tests.Queues;

[Collection(AzuriteGroup.Name)]
public sealed class QueueMessageTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task CreateIfNotExistsReportsWhetherItCreated()
    {
        var queue = TestStorage.Account(azurite).GetQueueClient(TestStorage.UniqueName("q"));

        Assert.True(await queue.CreateIfNotExistsAsync());
        Assert.False(await queue.CreateIfNotExistsAsync());
        Assert.True(await queue.DeleteIfExistsAsync());
        Assert.False(await queue.DeleteIfExistsAsync());
    }

    [Fact]
    public async Task APopReceiptGoesStaleOnceTheMessageIsReceivedAgain()
    {
        var queue = await CreateQueueAsync();
        await queue.SendMessageAsync("job-1");
        var first = Assert.Single((await queue.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(1))).Value);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var second = Assert.Single((await queue.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(30))).Value);

        var failure = await Assert.ThrowsAsync<RequestFailedException>(() => queue.DeleteMessageAsync(first.MessageId, first.PopReceipt));

        Assert.Equal(first.MessageId, second.MessageId);
        Assert.Equal(2, second.DequeueCount);
        Assert.Equal((400, "PopReceiptMismatch"), (failure.Status, failure.ErrorCode));
        await queue.DeleteMessageAsync(second.MessageId, second.PopReceipt);
        var gone = await Assert.ThrowsAsync<RequestFailedException>(() => queue.DeleteMessageAsync(second.MessageId, second.PopReceipt));
        Assert.Equal((404, "MessageNotFound"), (gone.Status, gone.ErrorCode));
    }

    [Fact]
    public async Task UpdateReturnsANewPopReceiptThatWorksWhileTheOldOneFails()
    {
        var queue = await CreateQueueAsync();
        await queue.SendMessageAsync("v1");
        var received = Assert.Single((await queue.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(30))).Value);

        var renewed = (await queue.UpdateMessageAsync(received.MessageId, received.PopReceipt, TimeSpan.FromSeconds(60))).Value;
        var stale = await Assert.ThrowsAsync<RequestFailedException>(() => queue.DeleteMessageAsync(received.MessageId, received.PopReceipt));
        var released = (await queue.UpdateMessageAsync(received.MessageId, renewed.PopReceipt, TimeSpan.Zero, BinaryData.FromString("v2"))).Value;
        var again = Assert.Single((await queue.ReceiveMessagesAsync(1)).Value);

        Assert.NotEqual(received.PopReceipt, renewed.PopReceipt);
        Assert.InRange(renewed.NextVisibleOn, received.NextVisibleOn.AddSeconds(25), received.NextVisibleOn.AddSeconds(35));
        Assert.Equal((400, "PopReceiptMismatch"), (stale.Status, stale.ErrorCode));
        Assert.NotEqual(renewed.PopReceipt, released.PopReceipt);
        Assert.Equal(received.MessageId, again.MessageId);
        Assert.Equal("v2", again.MessageText);
        Assert.Equal(2, again.DequeueCount);
        await queue.DeleteMessageAsync(again.MessageId, again.PopReceipt);
    }

    [Fact]
    public async Task PeekSeesMessagesWithoutChangingTheirDequeueCount()
    {
        var queue = await CreateQueueAsync();
        await queue.SendMessageAsync("peek me");

        var peeked = Assert.Single((await queue.PeekMessagesAsync()).Value);
        var peekedAgain = Assert.Single((await queue.PeekMessagesAsync(32)).Value);
        var received = Assert.Single((await queue.ReceiveMessagesAsync()).Value);
        await queue.UpdateMessageAsync(received.MessageId, received.PopReceipt, TimeSpan.Zero);
        var peekedAfterReceive = Assert.Single((await queue.PeekMessagesAsync()).Value);

        Assert.Equal(("peek me", 0L), (peeked.MessageText, peeked.DequeueCount));
        Assert.Equal(0, peekedAgain.DequeueCount);
        Assert.Equal(1, received.DequeueCount);
        Assert.Equal(peeked.MessageId, received.MessageId);
        Assert.Equal(1, peekedAfterReceive.DequeueCount);
    }

    [Fact]
    public async Task ApproximateCountIncludesInvisibleMessagesUntilTheyAreDeleted()
    {
        var queue = await CreateQueueAsync();
        for (var i = 0; i < 5; i++)
        {
            await queue.SendMessageAsync($"m{i}");
        }

        var countAfterSend = (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount;
        var received = (await queue.ReceiveMessagesAsync(2)).Value;
        var countWhileInvisible = (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount;
        foreach (var message in received)
        {
            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
        }

        Assert.Equal(5, countAfterSend);
        Assert.Equal(5, countWhileInvisible);
        Assert.Equal(3, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
        await queue.ClearMessagesAsync();
        Assert.Equal(0, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task AVisibilityDelayHidesTheMessageUntilItPasses()
    {
        var queue = await CreateQueueAsync();

        var sent = (await queue.SendMessageAsync("later", visibilityTimeout: TimeSpan.FromSeconds(1))).Value;
        var immediately = (await queue.ReceiveMessagesAsync()).Value;
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var afterDelay = (await queue.ReceiveMessagesAsync()).Value;

        Assert.Equal(sent.InsertedOn.AddSeconds(1), sent.NextVisibleOn);
        Assert.Empty(immediately);
        Assert.Equal("later", Assert.Single(afterDelay).MessageText);
    }

    [Fact]
    public async Task TimeToLiveSetsTheExpiryAndInfiniteMeansNever()
    {
        var queue = await CreateQueueAsync();

        var minute = (await queue.SendMessageAsync("short", timeToLive: TimeSpan.FromSeconds(60))).Value;
        var forever = (await queue.SendMessageAsync("forever", timeToLive: Timeout.InfiniteTimeSpan)).Value;
        var standard = (await queue.SendMessageAsync("default")).Value;

        Assert.Equal(minute.InsertedOn.AddSeconds(60), minute.ExpiresOn);
        Assert.Equal(9999, forever.ExpiresOn.Year);
        Assert.Equal(standard.InsertedOn.AddDays(7), standard.ExpiresOn);
    }

    [Fact]
    public async Task ReceiveRejectsMoreThan32Messages()
    {
        var queue = TestStorage.Account(azurite).GetQueueClient("unused");

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => queue.ReceiveMessagesAsync(33));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => queue.PeekMessagesAsync(0));
    }

    [Fact]
    public async Task OperationsOnAMissingQueueFailWithQueueNotFound()
    {
        var queue = TestStorage.Account(azurite).GetQueueClient(TestStorage.UniqueName("absent"));

        var failure = await Assert.ThrowsAsync<RequestFailedException>(() => queue.SendMessageAsync("x"));

        Assert.Equal((404, "QueueNotFound"), (failure.Status, failure.ErrorCode));
    }

    private async Task<QueueClient> CreateQueueAsync()
    {
        var queue = TestStorage.Account(azurite).GetQueueClient(TestStorage.UniqueName("q"));
        await queue.CreateIfNotExistsAsync();
        return queue;
    }
}
