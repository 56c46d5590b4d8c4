namespace EchoPipeline.Storage.Queues;

/// <summary>A received message: invisible to others until <see cref="NextVisibleOn"/>; delete or update it with <see cref="PopReceipt"/>.</summary>
public sealed record QueueMessage(
    string MessageId,
    string PopReceipt,
    long DequeueCount,
    DateTimeOffset InsertedOn,
    DateTimeOffset ExpiresOn,
    DateTimeOffset NextVisibleOn,
    BinaryData Body)
{
    /// <summary>The body as UTF-8 text.</summary>
    public string MessageText => Body.ToString();
}
