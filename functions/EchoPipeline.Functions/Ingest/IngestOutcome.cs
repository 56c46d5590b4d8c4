using EchoPipeline.Jobs;

namespace EchoPipeline.Functions.Ingest;

/// <summary>How an ingest request ended.</summary>
public enum IngestDisposition
{
    /// <summary>A new job record was written (queued, or failed for bad input).</summary>
    Created,

    /// <summary>A job with the same id already existed; nothing was written or enqueued.</summary>
    Existing,

    /// <summary>The blob was put there by SubmitJob, which already made its job.</summary>
    Skipped,
}

public sealed record IngestOutcome(JobRecord? Job, IngestDisposition Disposition, bool Enqueued)
{
    public static IngestOutcome Skipped { get; } = new(null, IngestDisposition.Skipped, false);
}
