namespace EchoPipeline.Cli.Verification;

/// <summary>Why a file could not be verified: a stable snake_case <see cref="Code"/> and a message for people.</summary>
internal sealed class VerifyException(string code, string message, Exception? innerException = null) : Exception(message, innerException)
{
    public string Code { get; } = code;

    /// <summary>Codes of verify's own refusals; unreadable files get EchoPipeline.Media's codes. A contract: never rename them.</summary>
    public static class Codes
    {
        public const string TooShort = "too_short";
    }
}
