using System.Globalization;
using System.Text.Json;
using FFMpegCore;

namespace EchoPipeline.Media;

/// <summary>
/// Accepts a staged input only if ffprobe reads it with an allowlisted demuxer (<see cref="DemuxerAllowlist.Pictures"/>)
/// and it is a decodable video or a single picture within the limits of <see cref="MediaOptions"/>. A plain still PNG
/// or JPEG is read in process instead (<see cref="InProcessStills"/>: same limits, checked before decoding, and its
/// frame made at once); whatever that path does not take goes to ffprobe.
/// </summary>
public sealed class MediaProbe
{
    private readonly MediaTools _tools;

    public MediaProbe(MediaTools tools)
    {
        ArgumentNullException.ThrowIfNull(tools);
        _tools = tools;
    }

    /// <exception cref="MediaException">
    /// The input is not media, is a refused format (<c>unsupported_format</c>), has no video, or is over a limit.
    /// </exception>
    public async Task<MediaInfo> ProbeAsync(MediaInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (_tools.Stills.TryRead(input, cancellationToken) is { } still)
        {
            return still;
        }

        IMediaAnalysis analysis;
        try
        {
            analysis = await _tools.AnalyseAsync(input, DemuxerAllowlist.Pictures, cancellationToken).ConfigureAwait(false);
        }
        catch (MediaException ex) when (ex.Code == MediaErrorCode.NotMedia && IsoMedia.HasFileTypeBox(input.Path))
        {
            throw new MediaException(MediaErrorCode.Truncated,
                $"'{input.Source}' starts like an MP4/MOV file but its index (moov box) is missing; the upload was probably cut short.",
                input.Source, ex.ToolOutput, ex);
        }

        var info = Accept(analysis, input, _tools.Options.MaxPixels);
        Limits.Check(info, _tools.Options);
        return info;
    }

    private static MediaInfo Accept(IMediaAnalysis analysis, MediaInput input, long maxPixels)
    {
        var source = input.Source;
        var format = analysis.Format.FormatName;
        if (string.IsNullOrEmpty(format))
        {
            throw new MediaException(MediaErrorCode.NotMedia, $"ffprobe recognised no container format in '{source}'.", source);
        }

        // ffprobe already refused every other demuxer; this keeps the promise if that option ever stops working.
        if (!DemuxerAllowlist.Pictures.Recognises(format))
        {
            throw Unsupported(source, format);
        }

        // An mp3/m4a's embedded album cover is a "video" stream, but not a video.
        var video = analysis.VideoStreams.FirstOrDefault(s => !IsAttachedPicture(s));
        if (video is null)
        {
            var what = analysis.AudioStreams.Count > 0 ? "only audio" : "no video";
            var cover = analysis.VideoStreams.Count > 0 ? " and a cover picture" : "";
            throw new MediaException(MediaErrorCode.NoVideoStream, $"'{source}' ({format}) has {what}{cover}; a video or image is needed.", source);
        }

        if (!DemuxerAllowlist.Pictures.Allows(format))
        {
            throw Unsupported(source, format);
        }

        var (width, height) = (video.Width ?? 0, video.Height ?? 0);
        // A decoder refused by -max_pixels leaves the stream 0x0 and says why on stderr; ffprobe still exits 0.
        var said = string.Join('\n', analysis.StandardError ?? []).Replace(input.Path, source, StringComparison.Ordinal);
        if ((width == 0 || height == 0) && ToolFailure.DeclaredPictureSize(said) is { } declared && declared.Width * declared.Height > maxPixels)
        {
            throw new MediaException(MediaErrorCode.TooManyPixels,
                $"'{source}' declares a {declared.Width}x{declared.Height} picture = {declared.Width * declared.Height} pixels; " +
                $"the limit is {maxPixels} (Media:MaxPixels).", source, said);
        }

        var raw = analysis.Raw.Streams.FirstOrDefault(s => s.Index == video.Index);
        var still = DemuxerAllowlist.Pictures.IsStill(format);
        if (still && Count(raw, "nb_read_packets") > 1)
        {
            throw new MediaException(MediaErrorCode.UnsupportedFormat,
                $"'{source}' holds several {video.CodecName} pictures one after another (an image sequence); upload a video or a single picture.", source);
        }

        var info = new VideoStreamInfo(
            video.Index, video.CodecName ?? "unknown", width, height, Count(raw, "nb_frames"),
            video.AverageFrameRate > 0 && double.IsFinite(video.AverageFrameRate) ? video.AverageFrameRate : null, video.Rotation);
        // The picture's own length first: a soundtrack longer than the video stretches the container's.
        var duration = video.Duration > TimeSpan.Zero ? video.Duration : analysis.Format.Duration;
        return new MediaInfo(input, format, still || duration <= TimeSpan.Zero ? null : duration.TotalSeconds, info, analysis.AudioStreams.Count > 0, still);
    }

    private static MediaException Unsupported(string source, string format) => new(MediaErrorCode.UnsupportedFormat,
        $"'{source}' is {DemuxerAllowlist.Describe(DemuxerAllowlist.DemuxerOf(format))}, not a video or picture EchoPipeline reads.", source);

    private static bool IsAttachedPicture(VideoStream stream) =>
        stream.Disposition is { } disposition && disposition.TryGetValue("attached_pic", out var attached) && attached;

    // ffprobe writes these counts as strings ("50").
    private static long? Count(FFProbeStream? stream, string name)
    {
        if (stream?.ExtensionData is not { } data || !data.TryGetValue(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt64(out var number) => number,
            JsonValueKind.String when long.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var number) => number,
            _ => null,
        };
    }
}
