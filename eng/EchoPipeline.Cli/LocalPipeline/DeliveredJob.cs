namespace EchoPipeline.Cli.LocalPipeline;

/// <summary>What became of one BlobCreated event: the job the ingest made or found, or why it made none.</summary>
internal sealed record DeliveredJob(string? JobId, string Disposition, string? Status, string? Message);
