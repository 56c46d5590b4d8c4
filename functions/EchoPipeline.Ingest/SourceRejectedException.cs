namespace EchoPipeline.Ingest;

/// <summary>A URL source was not downloaded; <see cref="Code"/> is a job error code, the message names the URL and why.</summary>
public sealed class SourceRejectedException : Exception
{
    public SourceRejectedException()
        : this(EchoPipeline.Jobs.JobErrorCodes.DownloadFailed, "The source could not be downloaded.")
    {
    }

    public SourceRejectedException(string message)
        : this(EchoPipeline.Jobs.JobErrorCodes.DownloadFailed, message)
    {
    }

    public SourceRejectedException(string message, Exception innerException)
        : this(EchoPipeline.Jobs.JobErrorCodes.DownloadFailed, message, innerException)
    {
    }

    public SourceRejectedException(string code, string message, Exception? innerException = null)
        : base(message, innerException) => Code = code;

    public string Code { get; } = EchoPipeline.Jobs.JobErrorCodes.DownloadFailed;
}
