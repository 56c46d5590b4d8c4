namespace EchoPipeline.Functions.Events;

/// <summary>A delivery that is not an Event Grid or CloudEvents event; the message names the missing or wrong field.</summary>
public sealed class InvalidEventException : Exception
{
    public InvalidEventException()
    {
    }

    public InvalidEventException(string message)
        : base(message)
    {
    }

    public InvalidEventException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
