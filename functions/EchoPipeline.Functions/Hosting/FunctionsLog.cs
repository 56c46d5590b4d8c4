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

    [LoggerMessage(21, LogLevel.Information, "Verified {Blob}: watermark present {Present}, statistic {Statistic:F2}, payload {Payload}, key {KeyId}")]
    public static partial void Verified(ILogger logger, string blob, bool present, double statistic, string payload, string keyId);

    [LoggerMessage(22, LogLevel.Warning, "VerifyAudio refused a request ({Code}): {Problem}")]
    public static partial void VerifyRefused(ILogger logger, string code, string problem);

    [LoggerMessage(23, LogLevel.Warning, "VerifyAudio could not check {Blob} ({Code}): {Problem}")]
    public static partial void VerifyFailed(ILogger logger, string blob, string code, string problem);
}
