using EchoPipeline.Jobs;

namespace EchoPipeline.Ingest;

/// <summary>How an ingest request ended.</summary>
public enum IngestDisposition
{
    /// <summary>A new job record was written (queued, or failed for bad input).</summary>
    Created,

    /// <summary>A job with the same id already existed; nothing was written or enqueued.</summary>
    Existing,

    /// <summary>A job with the same id is being ingested by another invocation, within its deadline; nothing was done.</summary>
    InProgress,

    /// <summary>The blob was put there by SubmitJob, which already made its job.</summary>
    Skipped,

    /// <summary>The blob is not in <c>videos</c>; uploads elsewhere are not inputs.</summary>
    Ignored,
}

public sealed record IngestOutcome(JobRecord? Job, IngestDisposition Disposition, bool Enqueued)
{
    public static IngestOutcome Skipped { get; } = new(null, IngestDisposition.Skipped, false);

    public static IngestOutcome Ignored { get; } = new(null, IngestDisposition.Ignored, false);

    public override string ToString() => Job is null
        ? Disposition.ToString().ToLowerInvariant()
        : $"job {Job.Id}: {Job.Status.ToString().ToLowerInvariant()} ({Disposition.ToString().ToLowerInvariant()})";
}
