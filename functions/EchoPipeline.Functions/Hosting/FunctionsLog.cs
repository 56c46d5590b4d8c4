namespace EchoPipeline.Functions.Hosting;

/// <summary>The function classes' log messages; event ids are stable for queries in Application Insights.</summary>
internal static partial class FunctionsLog
{
    [LoggerMessage(11, LogLevel.Information, "{BlobName}: {Outcome}")]
    public static partial void UploadIngested(ILogger logger, string blobName, string outcome);

    [LoggerMessage(9, LogLevel.Warning, "URL source {Url} refused: {Problem}")]
    public static partial void SourceRefused(ILogger logger, string url, string problem);

    [LoggerMessage(12, LogLevel.Information, "Batch {BatchId}: {Jobs} job(s), new: {Created}")]
    public static partial void BatchAccepted(ILogger logger, string batchId, int jobs, bool created);
}
