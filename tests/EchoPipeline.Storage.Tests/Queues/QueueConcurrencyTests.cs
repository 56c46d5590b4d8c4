using System.Collections.Concurrent;
using EchoPipeline.Storage.Tests.Support;
using EchoPipeline.Testing;

namespace EchoPipeline.Storage.Tests.Queues;

[Collection(AzuriteGroup.Name)]
public sealed class QueueConcurrencyTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task AThousandMessagesAreEachConsumedExactlyOnceByFourConcurrentConsumers()
    {
        const int messageCount = 1000;
        var queue = TestStorage.Account(azurite).GetQueueClient(TestStorage.UniqueName("jobs"));
        await queue.CreateIfNotExistsAsync();
        var expected = Enumerable.Range(0, messageCount).Select(i => $"job-{i:D4}").ToList();
        await Parallel.ForEachAsync(expected, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (body, ct) =>
            await queue.SendMessageAsync(body, cancellationToken: ct));

        var deliveries = new ConcurrentDictionary<string, int>();
        var deleted = 0;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        async Task ConsumeAsync()
        {
            while (Volatile.Read(ref deleted) < messageCount && !deadline.IsCancellationRequested)
            {
                var batch = (await queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(2), deadline.Token)).Value;
                foreach (var message in batch)
                {
                    deliveries.AddOrUpdate(message.MessageText, 1, (_, seen) => seen + 1);
                    await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, deadline.Token);
                    Interlocked.Increment(ref deleted);
                }

                if (batch.Count == 0)
                {
                    await Task.Delay(50, deadline.Token);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(ConsumeAsync)));

        Assert.Equal(expected, deliveries.Keys.Order(StringComparer.Ordinal));
        Assert.All(deliveries, delivery => Assert.Equal(1, delivery.Value));
        Assert.Equal(messageCount, deleted);
        Assert.Equal(0, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
        Assert.Empty((await queue.ReceiveMessagesAsync(32)).Value);
    }
}
