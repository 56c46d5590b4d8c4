namespace EchoPipeline.Functions.CustomHandler;

/// <summary>The host's payload lacks what function.json promises; answered with 400 to the host, never thrown further.</summary>
public sealed class InvalidInvocationException : Exception
{
    public InvalidInvocationException()
    {
    }

    public InvalidInvocationException(string message)
        : base(message)
    {
    }

    public InvalidInvocationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
