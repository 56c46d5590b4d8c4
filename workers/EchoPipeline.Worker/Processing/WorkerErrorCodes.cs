using EchoPipeline.Jobs;

namespace EchoPipeline.Worker.Processing;

/// <summary>Error codes the worker writes into <see cref="JobError.Code"/> (media failures keep EchoPipeline.Media's codes).</summary>
public static class WorkerErrorCodes
{
    /// <summary>A frame blob the record names is missing.</summary>
    public const string FrameMissing = "frame_missing";

    /// <summary>A frame blob is not 256x256 rgb24 (196608 bytes).</summary>
    public const string FrameInvalid = "frame_invalid";

    /// <summary>The record lacks something the worker needs (segments, parameters).</summary>
    public const string RecordInvalid = "record_invalid";

    /// <summary>The job was made for another model bundle than the one this worker runs (its id names that bundle).</summary>
    public const string BundleMismatch = "bundle_mismatch";

    /// <summary>The source video for the scored output is gone.</summary>
    public const string SourceNotFound = JobErrorCodes.SourceNotFound;

    /// <summary>The source video no longer is the one the job was made from.</summary>
    public const string SourceChanged = JobErrorCodes.SourceChanged;

    /// <summary>Storage kept failing after retries.</summary>
    public const string StorageError = JobErrorCodes.StorageError;

    public const string DequeueLimitExceeded = JobErrorCodes.DequeueLimitExceeded;

    public const string Internal = JobErrorCodes.Internal;
}
