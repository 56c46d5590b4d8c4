namespace EchoPipeline.Media;

/// <summary>Why a media operation failed; <see cref="MediaErrorCodes.ToCode"/> gives the stable string stored in job records.</summary>
public enum MediaErrorCode
{
    FfmpegFailed,
    FfmpegMissing,
    Timeout,
    NotFound,
    EmptyFile,
    NotMedia,
    UnsupportedFormat,
    NoVideoStream,
    NoAudioStream,
    Truncated,
    TooLarge,
    TooLong,
    TooManyPixels,
    BadDimensions,
    TooShort,
}

public static class MediaErrorCodes
{
    /// <summary>The snake_case wire name; these strings are a contract, never rename them.</summary>
    public static string ToCode(this MediaErrorCode code) => code switch
    {
        MediaErrorCode.FfmpegFailed => "ffmpeg_failed",
        MediaErrorCode.FfmpegMissing => "ffmpeg_missing",
        MediaErrorCode.Timeout => "timeout",
        MediaErrorCode.NotFound => "not_found",
        MediaErrorCode.EmptyFile => "empty_file",
        MediaErrorCode.NotMedia => "not_media",
        MediaErrorCode.UnsupportedFormat => "unsupported_format",
        MediaErrorCode.NoVideoStream => "no_video_stream",
        MediaErrorCode.NoAudioStream => "no_audio_stream",
        MediaErrorCode.Truncated => "truncated",
        MediaErrorCode.TooLarge => "too_large",
        MediaErrorCode.TooLong => "too_long",
        MediaErrorCode.TooManyPixels => "too_many_pixels",
        MediaErrorCode.BadDimensions => "bad_dimensions",
        MediaErrorCode.TooShort => "too_short",
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, null),
    };
}
