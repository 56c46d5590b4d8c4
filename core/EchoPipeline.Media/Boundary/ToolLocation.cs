using FFMpegCore;

namespace EchoPipeline.Media;

/// <summary>
/// Turns <see cref="MediaOptions.FfmpegPath"/>/<see cref="MediaOptions.FfprobePath"/> into the one folder FFMpegCore
/// takes, and makes sure FFMpegCore would run exactly those files: given a folder without the tool it silently falls
/// back to PATH, and it prefers an <c>x64</c> subfolder when one exists.
/// </summary>
internal static class ToolLocation
{
    private const string Ffmpeg = "ffmpeg";
    private const string Ffprobe = "ffprobe";

    /// <summary>Why the configured paths cannot work (checked at start-up), or null.</summary>
    public static string? Problem(MediaOptions options)
    {
        if (Path.GetFileName(options.FfmpegPath) != Ffmpeg || Path.GetFileName(options.FfprobePath) != Ffprobe)
        {
            return $"Media:FfmpegPath must name a file called '{Ffmpeg}' and Media:FfprobePath one called '{Ffprobe}' " +
                   $"(are '{options.FfmpegPath}', '{options.FfprobePath}'): FFMpegCore runs the tools by those names.";
        }

        var (ffmpegFolder, ffprobeFolder) = (Path.GetDirectoryName(options.FfmpegPath), Path.GetDirectoryName(options.FfprobePath));
        if (ffmpegFolder != ffprobeFolder)
        {
            return $"Media:FfmpegPath and Media:FfprobePath must be in the same folder (are '{ffmpegFolder}', '{ffprobeFolder}').";
        }

        return string.IsNullOrEmpty(ffmpegFolder) || Path.IsPathFullyQualified(ffmpegFolder)
            ? null
            : $"Media:FfmpegPath must be the bare name '{Ffmpeg}' (found on PATH) or an absolute path (is '{options.FfmpegPath}').";
    }

    /// <summary>FFMpegCore options that run the configured tools from their absolute folder.</summary>
    /// <exception cref="MediaException"><c>ffmpeg_missing</c>: a tool is not there (or FFMpegCore would pick another one).</exception>
    public static FFOptions Resolve(MediaOptions options)
    {
        var folder = Path.GetDirectoryName(options.FfmpegPath) is { Length: > 0 } configured ? configured : FindOnPath(Ffmpeg);
        var ffOptions = new FFOptions { BinaryFolder = folder ?? "" };
        foreach (var (tool, resolved) in new[] { (Ffmpeg, GlobalFFOptions.GetFFMpegBinaryPath(ffOptions)), (Ffprobe, GlobalFFOptions.GetFFProbeBinaryPath(ffOptions)) })
        {
            var wanted = folder is null ? null : Path.Combine(folder, tool);
            if (wanted is null || !File.Exists(wanted))
            {
                throw new MediaException(MediaErrorCode.FfmpegMissing,
                    $"Cannot find {tool} at '{wanted ?? tool + " (on PATH)"}'. Install FFmpeg (apt-get install ffmpeg) or set Media:FfmpegPath and Media:FfprobePath.");
            }

            if (resolved != wanted)
            {
                throw new MediaException(MediaErrorCode.FfmpegMissing,
                    $"FFMpegCore would run '{resolved}' instead of '{wanted}' (an x64 subfolder next to it?); keep one copy of FFmpeg in '{folder}'.");
            }
        }

        return ffOptions;
    }

    private static string? FindOnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
        .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Where(Path.IsPathFullyQualified)
        .FirstOrDefault(folder => File.Exists(Path.Combine(folder, tool)));
}
