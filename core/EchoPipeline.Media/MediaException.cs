namespace EchoPipeline.Media;

/// <summary>A media input or an FFmpeg run failed; <see cref="ErrorCode"/> is stable, the message is for people.</summary>
public sealed class MediaException : Exception
{
    public MediaException(MediaErrorCode code, string message, string? filePath = null, string? toolOutput = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
        FilePath = filePath;
        ToolOutput = toolOutput;
    }

    public MediaException()
        : this(MediaErrorCode.FfmpegFailed, "A media operation failed.")
    {
    }

    public MediaException(string message)
        : this(MediaErrorCode.FfmpegFailed, message)
    {
    }

    public MediaException(string message, Exception innerException)
        : this(MediaErrorCode.FfmpegFailed, message, innerException: innerException)
    {
    }

    public MediaErrorCode Code { get; }

    /// <summary>The stable snake_case code, e.g. <c>not_media</c>.</summary>
    public string ErrorCode => Code.ToCode();

    /// <summary>The input the failure is about, when there is one.</summary>
    public string? FilePath { get; }

    /// <summary>The last lines FFmpeg wrote to stderr, when it ran.</summary>
    public string? ToolOutput { get; }
}
