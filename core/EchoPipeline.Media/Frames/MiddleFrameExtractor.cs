using System.Globalization;

namespace EchoPipeline.Media;

/// <summary>
/// Takes one frame by fast input seeking (<c>-ss</c> before <c>-i</c>): FFmpeg jumps to the keyframe
/// before the position and decodes only from there, so the cost does not grow with the video's length.
/// </summary>
public sealed class MiddleFrameExtractor
{
    // Centre square first, then scale: the same picture as "short side to 256, then centre crop",
    // but the scaler never works on more than the square (a 4:1 frame would otherwise scale to 1024x256).
    private static readonly string Filter = $"crop='min(iw,ih)':'min(iw,ih)',scale={Frame.Size}:{Frame.Size}:flags=bicubic";

    private readonly FfmpegRunner _runner;

    public MiddleFrameExtractor(FfmpegRunner runner)
    {
        ArgumentNullException.ThrowIfNull(runner);
        _runner = runner;
    }

    /// <summary>The middle frame of a video, or the picture of a still image.</summary>
    public Task<Frame> ExtractMiddleAsync(MediaInfo info, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(info);
        return ExtractAtAsync(info, info.Middle, cancellationToken);
    }

    /// <summary>The frame shown at <paramref name="position"/> (still images ignore it).</summary>
    public async Task<Frame> ExtractAtAsync(MediaInfo info, TimeSpan position, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentOutOfRangeException.ThrowIfLessThan(position, TimeSpan.Zero);
        position = info.IsStillImage ? TimeSpan.Zero : position;
        List<string> arguments = ["-v", "error"];
        if (position > TimeSpan.Zero)
        {
            arguments.AddRange(["-ss", position.TotalSeconds.ToString("0.######", CultureInfo.InvariantCulture)]);
        }

        if (info.ContainerFormat == MediaProbe.ImageSequenceFormat)
        {
            // "frame%03d.png" names that one file; ffmpeg rejects the option for any other demuxer.
            arguments.AddRange(["-pattern_type", "none"]);
        }

        arguments.AddRange([
            "-i", MediaPath.ToUrl(info.Path),
            "-map", $"0:{info.Video.Index}", "-frames:v", "1", "-vf", Filter,
            "-pix_fmt", "rgb24", "-f", "rawvideo", "pipe:1",
        ]);
        var pixels = await _runner.RunAsync(MediaTool.Ffmpeg, arguments, info.Path, cancellationToken: cancellationToken);
        return pixels.Length switch
        {
            Frame.ByteLength => new Frame(pixels, position),
            0 => throw new MediaException(MediaErrorCode.Truncated,
                $"No frame could be decoded at {position.TotalSeconds:0.###} s in '{info.Path}' although ffprobe reports " +
                $"{info.DurationSeconds:0.###} s; the file is probably truncated or damaged.", info.Path),
            _ => throw new MediaException(MediaErrorCode.FfmpegFailed,
                $"ffmpeg returned {pixels.Length} bytes for a frame of '{info.Path}', expected {Frame.ByteLength}.", info.Path),
        };
    }
}
