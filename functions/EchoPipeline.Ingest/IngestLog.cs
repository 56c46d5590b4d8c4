using Microsoft.Extensions.Logging;

namespace EchoPipeline.Ingest;

/// <summary>The ingest's log messages; event ids are stable for queries in Application Insights.</summary>
internal static partial class IngestLog
{
    [LoggerMessage(1, LogLevel.Information, "Job {JobId} for {Container}/{BlobName}: {Status} ({Disposition})")]
    public static partial void JobIngested(ILogger logger, string jobId, string container, string blobName, string status, string disposition);

    [LoggerMessage(2, LogLevel.Warning, "Job {JobId} failed at ingest: {ErrorCode}: {ErrorMessage}")]
    public static partial void JobRejected(ILogger logger, string jobId, string errorCode, string errorMessage);

    [LoggerMessage(3, LogLevel.Information, "Re-enqueued job {JobId}, whose record was complete but whose message was not sent")]
    public static partial void JobReEnqueued(ILogger logger, string jobId);

    [LoggerMessage(4, LogLevel.Information, "Job {JobId} is being ingested by another invocation since {ClaimedAt}; this one does nothing")]
    public static partial void JobInProgress(ILogger logger, string jobId, DateTimeOffset claimedAt);

    [LoggerMessage(5, LogLevel.Warning, "Job {JobId} was claimed at {ClaimedAt} and not finished within the deadline; taking it over")]
    public static partial void JobTakenOver(ILogger logger, string jobId, DateTimeOffset claimedAt);

    [LoggerMessage(8, LogLevel.Information, "Job {JobId} failed with {Code}, which may have passed; running it again")]
    public static partial void JobRetried(ILogger logger, string jobId, string code);

    [LoggerMessage(6, LogLevel.Warning, "Ingest of job {JobId} failed; released its record so that a retry starts over")]
    public static partial void ClaimReleased(ILogger logger, Exception exception, string jobId);

    [LoggerMessage(7, LogLevel.Debug, "Ignoring {Container}/{BlobName}: only uploads to {Inputs} are inputs")]
    public static partial void BlobIgnored(ILogger logger, string container, string blobName, string inputs);
}
