namespace EchoPipeline.Jobs;

/// <summary>The containers and queues of the pipeline (DESIGN §5); infra creates the same names.</summary>
public static class StorageNames
{
    /// <summary>Uploads; Event Grid BlobCreated on this container starts ingest.</summary>
    public const string VideosContainer = "videos";

    /// <summary>Extracted middle frames, one per segment.</summary>
    public const string FramesContainer = "frames";

    /// <summary>Generated WAV files.</summary>
    public const string AudioContainer = "audio";

    /// <summary>Videos with their new soundtrack.</summary>
    public const string ScoredContainer = "scored";

    /// <summary>Job records as JSON, one blob per job.</summary>
    public const string JobsContainer = "jobs";

    /// <summary>
    /// The worker's webhook outbox: one blob per delivery not yet settled, named by its webhook-id and holding the exact
    /// body to POST; written before the job's queue message is deleted, removed once the outcome is on the job record.
    /// </summary>
    public const string WebhooksContainer = "webhooks";

    /// <summary>Claim-check messages for the worker.</summary>
    public const string JobsQueue = "echo-jobs";

    /// <summary>Messages the worker gave up on after too many dequeues.</summary>
    public const string PoisonQueue = "echo-jobs-poison";

    public static IReadOnlyList<string> Containers { get; } =
        [VideosContainer, FramesContainer, AudioContainer, ScoredContainer, JobsContainer, WebhooksContainer];

    public static IReadOnlyList<string> Queues { get; } = [JobsQueue, PoisonQueue];

    /// <summary>The job record's blob name in <see cref="JobsContainer"/>.</summary>
    public static string JobRecordBlob(JobId id) => $"{id}.json";

    /// <summary>A pending webhook delivery's blob name in <see cref="WebhooksContainer"/>.</summary>
    public static string WebhookBlob(string webhookId) => $"{webhookId}.json";

    /// <summary>A segment's frame as PNG in <see cref="FramesContainer"/> (records from before frames were shared per content).</summary>
    public static string FramePngBlob(JobId id, int segment) => $"{id}/{segment:D4}.png";

    /// <summary>A segment's frame as raw 256x256 rgb24 bytes in <see cref="FramesContainer"/>, ready for the image tokenizer (records from before frames were shared per content).</summary>
    public static string FrameRawBlob(JobId id, int segment) => $"{id}/{segment:D4}.rgb24";

    /// <summary>
    /// The folder in <see cref="FramesContainer"/> of the frames extracted from the input whose bytes hash to
    /// <paramref name="sha256"/>: frames depend only on the bytes (and on <paramref name="profile"/>, what else shapes
    /// them), so every job on the same content shares one extraction. Records name each frame blob.
    /// </summary>
    public static string ContentFramesFolder(string sha256, string profile) => $"content/{sha256}/{profile}";
}
