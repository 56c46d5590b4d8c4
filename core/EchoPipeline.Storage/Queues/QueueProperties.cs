namespace EchoPipeline.Storage.Queues;

/// <summary>Queue metadata and the service's approximate message count (includes invisible messages).</summary>
public sealed record QueueProperties(int ApproximateMessagesCount, IReadOnlyDictionary<string, string> Metadata);
