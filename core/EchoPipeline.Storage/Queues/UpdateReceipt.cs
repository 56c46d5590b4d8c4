namespace EchoPipeline.Storage.Queues;

/// <summary>After Update Message the old pop receipt is void; use this one.</summary>
public sealed record UpdateReceipt(string PopReceipt, DateTimeOffset NextVisibleOn);
