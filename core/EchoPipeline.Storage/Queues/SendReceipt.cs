namespace EchoPipeline.Storage.Queues;

/// <summary>What Put Message returns for the new message.</summary>
public sealed record SendReceipt(string MessageId, string PopReceipt, DateTimeOffset InsertedOn, DateTimeOffset ExpiresOn, DateTimeOffset NextVisibleOn);
