namespace EchoPipeline.Functions.Hosting;

/// <summary>The handler's log messages; event ids are stable for queries in Application Insights.</summary>
internal static partial class FunctionsLog
{
    [LoggerMessage(1, LogLevel.Warning, "Invocation of {FunctionName} has a malformed payload: {Problem}")]
    public static partial void MalformedInvocation(ILogger logger, string functionName, string problem);

    [LoggerMessage(2, LogLevel.Error, "Invocation {InvocationId} of {FunctionName} failed")]
    public static partial void InvocationFailed(ILogger logger, Exception exception, string functionName, string invocationId);

    [LoggerMessage(3, LogLevel.Information, "Job {JobId} for {Container}/{BlobName}: {Status} ({Disposition})")]
    public static partial void JobIngested(ILogger logger, string jobId, string container, string blobName, string status, string disposition);

    [LoggerMessage(4, LogLevel.Warning, "Job {JobId} failed at ingest: {ErrorCode}: {ErrorMessage}")]
    public static partial void JobRejected(ILogger logger, string jobId, string errorCode, string errorMessage);

    [LoggerMessage(5, LogLevel.Information, "Ignoring event {EventId} of type {EventType}: {Reason}")]
    public static partial void EventIgnored(ILogger logger, string eventId, string eventType, string reason);

    [LoggerMessage(6, LogLevel.Warning, "Ignoring a malformed event delivery: {Problem}")]
    public static partial void EventMalformed(ILogger logger, string problem);

    [LoggerMessage(7, LogLevel.Information, "Answered the Event Grid subscription validation handshake")]
    public static partial void SubscriptionValidated(ILogger logger);

    [LoggerMessage(8, LogLevel.Information, "Re-enqueued job {JobId}, whose record was written but whose message was not")]
    public static partial void JobReEnqueued(ILogger logger, string jobId);

    [LoggerMessage(9, LogLevel.Warning, "URL source {Url} refused: {Problem}")]
    public static partial void SourceRefused(ILogger logger, string url, string problem);

    [LoggerMessage(10, LogLevel.Information, "Custom handler listening on port {Port}")]
    public static partial void Listening(ILogger logger, int port);
}
