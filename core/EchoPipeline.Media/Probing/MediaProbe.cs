namespace EchoPipeline.Media;

/// <summary>Runs ffprobe on an input and accepts it only if it is a decodable video or image within the limits.</summary>
public sealed class MediaProbe
{
    /// <summary>FFmpeg's image demuxer chosen by file extension (as opposed to the png_pipe-style content probes).</summary>
    internal const string ImageSequenceFormat = "image2";

    private readonly FfmpegRunner _runner;

    public MediaProbe(FfmpegRunner runner)
    {
        ArgumentNullException.ThrowIfNull(runner);
        _runner = runner;
    }

    /// <exception cref="MediaException">The input is missing, not media, has no video, or is over a limit.</exception>
    public async Task<MediaInfo> ProbeAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var options = _runner.Options;
        var file = new FileInfo(path);
        if (!file.Exists)
        {
            throw new MediaException(MediaErrorCode.NotFound, $"No file at '{path}'.", path);
        }

        if (file.Length == 0)
        {
            throw new MediaException(MediaErrorCode.EmptyFile, $"'{path}' is empty (0 bytes); upload it again.", path);
        }

        if (file.Length > options.MaxBytes)
        {
            throw new MediaException(MediaErrorCode.TooLarge,
                $"'{path}' is {file.Length} bytes; the limit is {options.MaxBytes} bytes (MediaOptions.MaxBytes).", path);
        }

        // No image-sequence patterns: "frame%03d.png" names that one file (ffprobe ignores the option for other demuxers).
        string[] arguments =
            ["-v", "error", "-pattern_type", "none", "-print_format", "json", "-show_format", "-show_streams", MediaPath.ToUrl(path)];
        byte[] json;
        try
        {
            json = await _runner.RunAsync(MediaTool.Ffprobe, arguments, path, cancellationToken: cancellationToken);
        }
        catch (MediaException ex) when (ex.Code == MediaErrorCode.NotMedia && IsoMedia.HasFileTypeBox(path))
        {
            throw new MediaException(MediaErrorCode.Truncated,
                $"'{path}' starts like an MP4/MOV file but its index (moov box) is missing; the upload was probably cut short.",
                path, ex.ToolOutput, ex);
        }

        var info = Accept(FfprobeJson.Parse(json), path, file.Length);
        Limits.Check(info, options);
        return info;
    }

    private static MediaInfo Accept(FfprobeJson.Parsed parsed, string path, long size)
    {
        if (parsed.Format is null)
        {
            throw new MediaException(MediaErrorCode.NotMedia, $"ffprobe recognised no container format in '{path}'.", path);
        }

        if (parsed.Video is null)
        {
            var what = parsed.HasAudio ? "only audio" : "no video";
            throw new MediaException(MediaErrorCode.NoVideoStream,
                $"'{path}' ({parsed.Format}) has {what}{(parsed.HasCoverArtOnly ? " and a cover picture" : "")}; a video or image is needed.",
                path);
        }

        var still = parsed.Format == ImageSequenceFormat || parsed.Format.EndsWith("_pipe", StringComparison.Ordinal);
        return new MediaInfo(path, size, parsed.Format, still ? null : parsed.Duration, parsed.Video, parsed.HasAudio, still);
    }
}
