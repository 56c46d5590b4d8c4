using System.Globalization;
using FFMpegCore.Enums;

namespace EchoPipeline.Media;

/// <summary>
/// Gives a probed video a new soundtrack: the video stream is copied bit for bit (never re-encoded), the generated
/// audio is loudness-normalised (EBU R128, -16 LUFS) AAC, padded with silence to the video's length.
/// </summary>
public sealed class SoundtrackMuxer
{
    private const string AudioFilter = "loudnorm=I=-16:TP=-1.5:LRA=11,apad";
    private readonly MediaTools _tools;

    public SoundtrackMuxer(MediaTools tools)
    {
        ArgumentNullException.ThrowIfNull(tools);
        _tools = tools;
    }

    /// <summary>
    /// Writes <paramref name="outputPath"/> (.mp4, .m4v, .mov or .mkv) from <paramref name="video"/> and
    /// <paramref name="wav"/> (a WAV file we generated); nothing is left there if it fails. <paramref name="comment"/>
    /// becomes the container's comment tag (e.g. that the audio is AI-generated, by which model, for which job).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="comment"/> holds a character outside letters, digits and <c> .,:;=_/-</c>.</exception>
    public async Task MuxAsync(MediaInfo video, ReadOnlyMemory<byte> wav, string outputPath, string? comment = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(video);
        ArgumentOutOfRangeException.ThrowIfZero(wav.Length);
        // FFMpegCore joins arguments into one command line: only text that cannot break out of its quotes goes in.
        if (comment is not null && !comment.All(c => char.IsAsciiLetterOrDigit(c) || " .,:;=_/-".Contains(c, StringComparison.Ordinal)))
        {
            throw new ArgumentException($"The comment '{comment}' holds characters that cannot go on an ffmpeg command line.", nameof(comment));
        }

        var (extension, format) = Path.GetExtension(outputPath).ToUpperInvariant() switch
        {
            ".MP4" or ".M4V" or ".MOV" => (".mp4", "mp4"),
            ".MKV" => (".mkv", "matroska"),
            _ => throw new ArgumentException($"'{outputPath}' must end in .mp4, .m4v, .mov or .mkv.", nameof(outputPath)),
        };

        var workspace = video.Input.Workspace;
        var soundtrack = workspace.NewPath("soundtrack", ".wav");
        // Written in the workspace and moved into place, so a failed run leaves no half file behind.
        var scored = workspace.NewPath("scored", extension);
        try
        {
            await File.WriteAllBytesAsync(soundtrack, wav, cancellationToken).ConfigureAwait(false);
            await _tools.RunAsync(workspace, [ToolInput.Of(video), new ToolInput(soundtrack, "wav", "the generated soundtrack")], scored, o =>
                {
                    o.WithCustomArgument(string.Create(CultureInfo.InvariantCulture, $"-map 0:{video.Video.Index} -map 1:a:0"))
                        .CopyStreams(StreamType.Video)
                        .WithCustomArgument($"-af {AudioFilter} -c:a aac")
                        .WithAudioBitrate(192)
                        .WithAudioSamplingRate(48000)
                        .WithShortest()
                        .WithCustomArgument($"-f {format}");
                    if (comment is not null)
                    {
                        o.WithCustomArgument($"-metadata \"comment={comment}\"");
                    }
                    if (format == "mp4")
                    {
                        o.WithFastStart();
                    }
                },
                video.Source, cancellationToken).ConfigureAwait(false);
            File.Move(scored, outputPath, overwrite: true);
        }
        finally
        {
            File.Delete(scored);
            File.Delete(soundtrack);
        }
    }
}
