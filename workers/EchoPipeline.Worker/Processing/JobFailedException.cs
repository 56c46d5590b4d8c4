namespace EchoPipeline.Worker.Processing;

/// <summary>A job-level failure with a stable code for <see cref="EchoPipeline.Jobs.JobError"/>.</summary>
public sealed class JobFailedException : Exception
{
    public JobFailedException(string code, string message, Exception? innerException = null)
        : base(message, innerException) => Code = code;

    public JobFailedException()
        : this(WorkerErrorCodes.Internal, "The job failed.")
    {
    }

    public JobFailedException(string message)
        : this(WorkerErrorCodes.Internal, message)
    {
    }

    public JobFailedException(string message, Exception innerException)
        : this(WorkerErrorCodes.Internal, message, innerException)
    {
    }

    public string Code { get; }
}
