namespace EchoPipeline.Jobs;

/// <summary>One rejected value: <see cref="Field"/> is the request's JSON field name, the message says what is allowed.</summary>
public sealed record ValidationError(string Field, string Message)
{
    public override string ToString() => $"{Field}: {Message}";
}
