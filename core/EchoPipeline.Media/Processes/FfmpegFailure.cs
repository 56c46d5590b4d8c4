namespace EchoPipeline.Media;

/// <summary>Turns a non-zero exit into a <see cref="MediaException"/> with a code chosen from what the tool said.</summary>
internal static class FfmpegFailure
{
    public static MediaException FromExit(MediaTool tool, string subject, int exitCode, StderrTail stderr)
    {
        var said = stderr.ToString();
        var detail = stderr.LastLine.Length > 0 ? stderr.LastLine : $"exit code {exitCode}";
        if (said.Contains("Invalid data found when processing input", StringComparison.Ordinal))
        {
            return new MediaException(MediaErrorCode.NotMedia,
                $"'{subject}' is not a video or image FFmpeg can decode ({detail}).", subject, said);
        }

        if (said.Contains("partial file", StringComparison.Ordinal))
        {
            return new MediaException(MediaErrorCode.Truncated,
                $"'{subject}' ends before its data does; the file was probably cut short ({detail}).", subject, said);
        }

        if (said.Contains("No such file or directory", StringComparison.Ordinal))
        {
            return new MediaException(MediaErrorCode.NotFound, $"{tool} found no file at '{subject}' ({detail}).", subject, said);
        }

        return new MediaException(MediaErrorCode.FfmpegFailed,
            $"{tool} failed on '{subject}' with exit code {exitCode}: {detail}", subject, said);
    }
}
