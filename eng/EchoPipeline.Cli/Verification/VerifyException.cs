namespace EchoPipeline.Cli.Verification;

/// <summary>Why a file could not be verified: a stable snake_case <see cref="Code"/> and a message for people.</summary>
internal sealed class VerifyException(string code, string message, Exception? innerException = null) : Exception(message, innerException)
{
    public string Code { get; } = code;

    /// <summary>The codes `echopipe verify` prints; a contract for scripts, never rename them.</summary>
    public static class Codes
    {
        public const string NotFound = "not_found";
        public const string EmptyFile = "empty_file";
        public const string TooLarge = "too_large";
        public const string NotMedia = "not_media";
        public const string UnsupportedFormat = "unsupported_format";
        public const string NoAudioStream = "no_audio_stream";
        public const string TooShort = "too_short";
        public const string DecodeFailed = "decode_failed";
        public const string FfmpegMissing = "ffmpeg_missing";
        public const string Timeout = "timeout";
    }
}
