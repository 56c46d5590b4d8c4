using System.Globalization;
using System.Text.RegularExpressions;

namespace EchoPipeline.Media;

/// <summary>Turns what ffmpeg/ffprobe wrote to stderr into a <see cref="MediaException"/> with a stable code.</summary>
internal static partial class ToolFailure
{
    private const int TailLines = 40;
    private const int MaxLineLength = 400;

    /// <summary>
    /// The error for a failed run about <paramref name="source"/>. <paramref name="readable"/> replaces workspace paths
    /// in FFmpeg's lines with the names callers know, so messages never show the generated ones.
    /// </summary>
    public static MediaException FromExit(
        MediaTool tool, string source, int exitCode, IEnumerable<string> stderr, Func<string, string> readable, long maxPixels)
    {
        var lines = Tail(stderr, readable);
        var said = string.Join('\n', lines);
        var detail = lines.Count > 0 ? lines[^1] : $"exit code {exitCode}";
        if (RefusedDemuxer().Match(said) is { Success: true } refused)
        {
            var demuxer = refused.Groups[1].Value;
            return new MediaException(MediaErrorCode.UnsupportedFormat,
                $"'{source}' is {DemuxerAllowlist.Describe(demuxer)}, not a video or picture EchoPipeline reads; upload an " +
                "MP4/MOV, Matroska/WebM, AVI, MPEG-TS or FLV video or a single PNG, JPEG, WebP or BMP picture.", source, said);
        }

        if (DeclaredPictureSize(said) is { } size && size.Width * size.Height > maxPixels)
        {
            return new MediaException(MediaErrorCode.TooManyPixels,
                $"'{source}' declares a {size.Width}x{size.Height} picture, more than FFmpeg was allowed to decode (Media:MaxPixels).", source, said);
        }

        if (said.Contains("Invalid data found when processing input", StringComparison.Ordinal))
        {
            return new MediaException(MediaErrorCode.NotMedia, $"'{source}' is not a video or image FFmpeg can decode ({detail}).", source, said);
        }

        if (said.Contains("partial file", StringComparison.Ordinal))
        {
            return new MediaException(MediaErrorCode.Truncated,
                $"'{source}' ends before its data does; the file was probably cut short ({detail}).", source, said);
        }

        if (said.Contains("No such file or directory", StringComparison.Ordinal))
        {
            return new MediaException(MediaErrorCode.NotFound, $"{tool} found no file for '{source}' ({detail}).", source, said);
        }

        return new MediaException(MediaErrorCode.FfmpegFailed, $"{tool} failed on '{source}' with exit code {exitCode}: {detail}", source, said);
    }

    /// <summary>
    /// The size a picture declared when FFmpeg refused to allocate it (past <c>-max_pixels</c>, or what it can address):
    /// how a decompression bomb shows up. ffprobe then reports the stream as 0x0 and still exits 0.
    /// </summary>
    public static (long Width, long Height)? DeclaredPictureSize(string stderr) =>
        RefusedPictureSize().Match(stderr) is { Success: true } match
            ? (long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), long.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture))
            : null;

    /// <summary>The last lines, each cut to a bounded length, so a chatty run cannot grow an error (or a job record) without bound.</summary>
    public static List<string> Tail(IEnumerable<string> stderr, Func<string, string> readable)
    {
        var tail = new Queue<string>(TailLines);
        foreach (var raw in stderr)
        {
            if (string.IsNullOrWhiteSpace(raw))
            {
                continue;
            }

            var line = readable(raw.Trim());
            tail.Enqueue(line.Length > MaxLineLength ? line[..MaxLineLength] + "…" : line);
            if (tail.Count > TailLines)
            {
                tail.Dequeue();
            }
        }

        return [.. tail];
    }

    // "[hls @ 0x55d0c1a2b240] Format not on whitelist 'mov,...'": the prefix names the demuxer ffprobe detected.
    [GeneratedRegex(@"\[([a-z0-9_]+) @ 0x[0-9a-f]+\] Format not on whitelist")]
    private static partial Regex RefusedDemuxer();

    [GeneratedRegex(@"Picture size (\d{1,10})x(\d{1,10}) (?:is invalid|exceeds specified max pixel count)")]
    private static partial Regex RefusedPictureSize();
}
