namespace EchoPipeline.Storage.Queues;

/// <summary>A message seen without being dequeued (no pop receipt; its dequeue count is unchanged).</summary>
public sealed record PeekedMessage(string MessageId, long DequeueCount, DateTimeOffset InsertedOn, DateTimeOffset ExpiresOn, BinaryData Body)
{
    public string MessageText => Body.ToString();
}
