namespace EchoPipeline.Jobs;

/// <summary>
/// Stable snake_case codes stored in <see cref="JobError.Code"/>. Media failures use the codes of
/// EchoPipeline.Media (<c>not_media</c>, <c>truncated</c>, ...) unchanged; these are the others.
/// They are a contract with clients: never rename one.
/// </summary>
public static class JobErrorCodes
{
    /// <summary>The blob name cannot be processed safely (dot segments, control characters, too long).</summary>
    public const string InvalidBlobName = "invalid_blob_name";

    /// <summary>The blob named by the event or request does not exist (any more).</summary>
    public const string SourceNotFound = "source_not_found";

    /// <summary>The URL source could not be downloaded.</summary>
    public const string DownloadFailed = "download_failed";

    /// <summary>The URL source points at a private, loopback or link-local address.</summary>
    public const string SourceRefused = "source_refused";

    /// <summary>The source blob was overwritten (or altered) after ingest: its ETag, length or hash no longer match the record.</summary>
    public const string SourceChanged = "source_changed";
    /// <summary>Probing, frame extraction and enqueueing did not finish within the ingest deadline (Ingest:Deadline).</summary>
    public const string IngestTimedOut = "ingest_timed_out";

    /// <summary>The worker gave up after too many dequeues; the message went to the poison queue.</summary>
    public const string DequeueLimitExceeded = "dequeue_limit_exceeded";

    /// <summary>Something unexpected failed; the message says what, the logs say more.</summary>
    public const string Internal = "internal_error";

    /// <summary>Storage kept failing after the SDK's retries.</summary>
    public const string StorageError = "storage_error";

    // Causes that may pass by themselves. Everything else (bad or hostile input, a refused or changed source) fails
    // the same way however often it is tried.
    private static readonly HashSet<string> Retryables = new(StringComparer.Ordinal)
    {
        Internal, StorageError, DownloadFailed, DequeueLimitExceeded, IngestTimedOut,
        "timeout", "ffmpeg_missing", "ffmpeg_failed", "frame_missing",
    };

    /// <summary>Whether a failure with <paramref name="code"/> is worth another attempt (with backoff) and a rerun on resubmission.</summary>
    public static bool IsRetryable(string code) => Retryables.Contains(code);
}
