namespace EchoPipeline.Jobs;

/// <summary>
/// The job as stored in <c>jobs/{id}.json</c> (DESIGN §5): the ingest stage creates it, the worker
/// updates it with If-Match on its ETag, GetJob returns it as is.
/// </summary>
public sealed record JobRecord
{
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    public required JobId Id { get; init; }

    public required JobStatus Status { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>When the claim-check message went onto the queue; absent means it still has to.</summary>
    public DateTimeOffset? EnqueuedAt { get; init; }

    public required JobSource Source { get; init; }

    /// <summary>Normalized parameters as asked, with the seed resolved; absent sampling values are the bundle's defaults.</summary>
    public required JobParameters Parameters { get; init; }

    /// <summary>The model bundle the job id was derived for (set by the ingest); the worker runs only that bundle.</summary>
    public string? BundleId { get; init; }

    /// <summary>The sampling the worker used: <see cref="Parameters"/>' values, absent ones from the bundle's defaults for the mode.</summary>
    public JobSampling? Sampling { get; init; }

    public MediaSummary? Media { get; init; }

    public IReadOnlyList<JobSegment> Segments { get; init; } = [];

    public JobResultUris? Outputs { get; init; }

    public JobError? Error { get; init; }

    /// <summary>Milliseconds per stage ("download", "probe", "frames", "tokenize", ...).</summary>
    public IReadOnlyDictionary<string, double> Timings { get; init; } = new Dictionary<string, double>();

    /// <summary>The model bundle that produced the outputs (set by the worker).</summary>
    public ModelStamp? Model { get; init; }

    /// <summary>Whether the outputs carry the watermark, with which payloads, or who turned it off (set by the worker).</summary>
    public JobWatermark? Watermark { get; init; }

    /// <summary>How the webhook to <see cref="JobParameters.CallbackUrl"/> went: "pending" from the final record until the worker's outbox settles it.</summary>
    public CallbackDelivery? Callback { get; init; }
}

/// <summary>Where the input came from and which version of it was read.</summary>
public sealed record JobSource
{
    /// <summary>"blob" for uploads and blob submissions, "url" for downloads.</summary>
    public required string Kind { get; init; }

    public required string Container { get; init; }

    public required string BlobName { get; init; }

    public string? ETag { get; init; }

    /// <summary>The URL a "url" source was downloaded from.</summary>
    public Uri? Url { get; init; }

    /// <summary>SHA-256 of the bytes, lower-case hex, when they were read.</summary>
    public string? ContentSha256 { get; init; }

    public string? ContentType { get; init; }

    public long? ContentLength { get; init; }
}

/// <summary>What ffprobe found.</summary>
public sealed record MediaSummary(string Kind, double DurationSeconds, int Width, int Height, string? Codec = null);

/// <summary>
/// One window (up to ~9.85 s) of the video and the frame that guides its audio. <see cref="StartsShot"/>: the window
/// starts at a cut and is generated afresh instead of continuing the previous one (the first segment always is).
/// </summary>
public sealed record JobSegment(int Index, double StartSeconds, double DurationSeconds, double FrameAtSeconds, string FramePng, string? FrameRaw = null, bool StartsShot = false);

/// <summary>URIs the worker wrote, per variation.</summary>
public sealed record JobResultUris
{
    public IReadOnlyList<Uri> Wav { get; init; } = [];

    public IReadOnlyList<Uri> ScoredVideo { get; init; } = [];

    public IReadOnlyList<Uri> Spectrogram { get; init; } = [];
}

/// <summary>
/// Why a job failed: a stable code for programs, a message for people, and whether the cause may pass (a timeout, a
/// missing or killed ffmpeg, storage): a retryable failure is never the job's verdict for good, and the next
/// submission of the same input runs it again.
/// </summary>
public sealed record JobError(string Code, string Message)
{
    public bool Retryable => JobErrorCodes.IsRetryable(Code);
}

/// <summary>
/// The outputs' watermark (docs/provenance.md): <see cref="Applied"/> with the scheme, the key's id and one payload per
/// variation (8 hex digits: the job id's first 7 and the variation), or not applied and <see cref="DisabledBy"/>
/// "bundle" or "deployment". `echopipe verify` prints the payload it reads from a file.
/// </summary>
public sealed record JobWatermark(bool Applied, string? Scheme = null, string? KeyId = null, IReadOnlyList<string>? Payloads = null, string? DisabledBy = null);

/// <summary>The sampling parameters a job ran with, and the generation mode whose bundle defaults filled the unset ones.</summary>
public sealed record JobSampling(string Mode, int Steps, double Temperature, double Guidance);

/// <summary>The model bundle id and the SHA-256 of its manifest.</summary>
public sealed record ModelStamp(string BundleId, string Sha256);

/// <summary>The webhook's state: "pending", then "delivered", "failed" or "refused" (target not allowed), after how many attempts.</summary>
public sealed record CallbackDelivery(string Status, int Attempts, DateTimeOffset At, int? StatusCode = null, string? Error = null);
