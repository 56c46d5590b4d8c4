namespace EchoPipeline.Media;

/// <summary>
/// Gives a video a new soundtrack: the video stream is copied bit for bit (never re-encoded), the
/// audio is loudness-normalised (EBU R128, -16 LUFS) AAC, padded with silence to the video's length.
/// </summary>
public sealed class SoundtrackMuxer
{
    private const string AudioFilter = "loudnorm=I=-16:TP=-1.5:LRA=11,apad";
    private readonly FfmpegRunner _runner;

    public SoundtrackMuxer(FfmpegRunner runner)
    {
        ArgumentNullException.ThrowIfNull(runner);
        _runner = runner;
    }

    /// <summary>Writes <paramref name="outputPath"/> (.mp4, .m4v, .mov or .mkv); nothing is left there if it fails.</summary>
    public async Task MuxAsync(string videoPath, string audioPath, string outputPath, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(videoPath);
        ArgumentException.ThrowIfNullOrEmpty(audioPath);
        string[] container = Path.GetExtension(outputPath).ToUpperInvariant() switch
        {
            ".MP4" or ".M4V" or ".MOV" => ["-f", "mp4", "-movflags", "+faststart"],
            ".MKV" => ["-f", "matroska"],
            _ => throw new ArgumentException($"'{outputPath}' must end in .mp4, .m4v, .mov or .mkv.", nameof(outputPath)),
        };

        // Written beside the target and moved into place, so a failed run leaves no half file behind.
        var partial = outputPath + ".partial";
        try
        {
            await _runner.RunAsync(MediaTool.Ffmpeg,
                [
                    "-v", "error", "-y", "-i", MediaPath.ToUrl(videoPath), "-i", MediaPath.ToUrl(audioPath),
                    "-map", "0:v:0", "-map", "1:a:0", "-c:v", "copy", "-af", AudioFilter,
                    "-c:a", "aac", "-b:a", "192k", "-ar", "48000", "-shortest", .. container, MediaPath.ToUrl(partial),
                ],
                videoPath, cancellationToken: cancellationToken);
            File.Move(partial, outputPath, overwrite: true);
        }
        finally
        {
            File.Delete(partial);
        }
    }
}
