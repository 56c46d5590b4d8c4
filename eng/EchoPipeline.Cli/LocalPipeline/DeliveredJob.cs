namespace EchoPipeline.Cli.LocalPipeline;

/// <summary>What the webhook function answered for one event: the job it made or found, or why it made none.</summary>
internal sealed record DeliveredJob(string EventId, string? JobId, string Disposition, string? Status, string? Message);
