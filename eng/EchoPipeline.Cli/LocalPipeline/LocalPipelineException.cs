namespace EchoPipeline.Cli.LocalPipeline;

/// <summary>A problem a person can fix (missing tool, busy port, bad bundle): one line, and the exit code to end with.</summary>
internal sealed class LocalPipelineException : Exception
{
    public LocalPipelineException(string message, int exitCode)
        : base(message) => ExitCode = exitCode;

    public LocalPipelineException()
    {
    }

    public LocalPipelineException(string message)
        : base(message)
    {
    }

    public LocalPipelineException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public int ExitCode { get; } = ExitCodes.EnvironmentMissing;
}
