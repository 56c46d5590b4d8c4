using Microsoft.Extensions.Logging;

namespace EchoPipeline.Media;

internal static partial class MediaLog
{
    [LoggerMessage(1, LogLevel.Debug, "{Tool} on '{Subject}' exited with {ExitCode} after {ElapsedMs} ms")]
    public static partial void ToolExited(this ILogger logger, MediaTool tool, string subject, int exitCode, double elapsedMs);

    [LoggerMessage(2, LogLevel.Warning, "{Tool} on '{Subject}' ran past {Timeout}; its process tree was killed")]
    public static partial void ToolTimedOut(this ILogger logger, MediaTool tool, string subject, TimeSpan timeout);
}
