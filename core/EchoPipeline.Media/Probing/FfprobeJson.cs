using System.Globalization;
using System.Text.Json;

namespace EchoPipeline.Media;

/// <summary>Reads ffprobe's <c>-print_format json -show_format -show_streams</c> output.</summary>
internal static class FfprobeJson
{
    public readonly record struct Parsed(string? Format, double? Duration, VideoStreamInfo? Video, bool HasAudio, bool HasCoverArtOnly);

    public static Parsed Parse(ReadOnlySpan<byte> json)
    {
        using var document = JsonDocument.Parse(json.ToArray());
        var root = document.RootElement;
        string? format = null;
        double? formatDuration = null, videoDuration = null;
        if (root.TryGetProperty("format", out var formatElement))
        {
            format = String(formatElement, "format_name");
            formatDuration = Number(formatElement, "duration");
        }

        VideoStreamInfo? video = null;
        bool hasAudio = false, hasCoverArt = false;
        if (root.TryGetProperty("streams", out var streams))
        {
            foreach (var stream in streams.EnumerateArray())
            {
                var type = String(stream, "codec_type");
                hasAudio |= type == "audio";
                if (type != "video")
                {
                    continue;
                }

                // An mp3/m4a's embedded album cover is a "video" stream, but not a video.
                if (IsAttachedPicture(stream))
                {
                    hasCoverArt = true;
                    continue;
                }

                if (video is null)
                {
                    video = ReadVideo(stream);
                    videoDuration = Number(stream, "duration");
                }
            }
        }

        // The picture's own length first: a soundtrack longer than the video stretches the container's.
        return new Parsed(format, videoDuration ?? formatDuration, video, hasAudio, hasCoverArt && video is null);
    }

    private static VideoStreamInfo ReadVideo(JsonElement stream) => new(
        Index: (int)(Number(stream, "index") ?? 0),
        Codec: String(stream, "codec_name") ?? "unknown",
        Width: (int)(Number(stream, "width") ?? 0),
        Height: (int)(Number(stream, "height") ?? 0),
        FrameCount: Number(stream, "nb_frames") is { } frames ? (long)frames : null,
        FrameRate: Rate(String(stream, "avg_frame_rate")),
        Rotation: Rotation(stream));

    private static bool IsAttachedPicture(JsonElement stream) =>
        stream.TryGetProperty("disposition", out var disposition) && Number(disposition, "attached_pic") == 1;

    private static int Rotation(JsonElement stream)
    {
        if (stream.TryGetProperty("side_data_list", out var sideData))
        {
            foreach (var item in sideData.EnumerateArray())
            {
                if (Number(item, "rotation") is { } rotation)
                {
                    return (int)rotation;
                }
            }
        }

        return stream.TryGetProperty("tags", out var tags) && Number(tags, "rotate") is { } rotate ? (int)rotate : 0;
    }

    private static double? Rate(string? fraction)
    {
        var parts = fraction?.Split('/');
        return parts is [var num, var den]
               && double.TryParse(num, NumberStyles.Float, CultureInfo.InvariantCulture, out var n)
               && double.TryParse(den, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d > 0 && n > 0
            ? n / d
            : null;
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    // ffprobe writes some numbers as JSON numbers and others (duration, nb_frames) as strings.
    private static double? Number(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number => value.GetDouble(),
            JsonValueKind.String when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed)
                && double.IsFinite(parsed) => parsed,
            _ => null,
        };
    }
}
