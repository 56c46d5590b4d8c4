using Microsoft.Extensions.Logging;

namespace EchoPipeline.Media;

internal static partial class MediaLog
{
    [LoggerMessage(1, LogLevel.Debug, "{Tool} on '{Subject}' exited with {ExitCode} after {ElapsedMs} ms")]
    public static partial void ToolExited(ILogger logger, MediaTool tool, string subject, int exitCode, double elapsedMs);

    [LoggerMessage(2, LogLevel.Warning, "{Tool} on '{Subject}' ran past {Limit}; the process was killed")]
    public static partial void ToolTimedOut(ILogger logger, MediaTool tool, string subject, TimeSpan limit);

    [LoggerMessage(3, LogLevel.Debug, "{Tool} on '{Subject}': {Arguments}")]
    public static partial void ToolStarting(ILogger logger, MediaTool tool, string subject, string arguments);

    [LoggerMessage(4, LogLevel.Debug, "'{Subject}' goes to FFmpeg: the in-process still-image decoder refused it ({Exception}: {Reason})")]
    public static partial void StillHandedToFfmpeg(ILogger logger, string subject, string exception, string reason);
}
