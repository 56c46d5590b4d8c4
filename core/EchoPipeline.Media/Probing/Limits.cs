namespace EchoPipeline.Media;

/// <summary>The size, duration and shape limits from <see cref="MediaOptions"/>.</summary>
internal static class Limits
{
    public static void Check(MediaInfo info, MediaOptions options)
    {
        var (width, height) = (info.Video.Width, info.Video.Height);
        if (width <= 0 || height <= 0)
        {
            throw new MediaException(MediaErrorCode.BadDimensions,
                $"'{info.Source}' reports a {width}x{height} video stream; a frame needs a positive width and height.", info.Source);
        }

        if ((long)width * height > options.MaxPixels)
        {
            throw new MediaException(MediaErrorCode.TooManyPixels,
                $"'{info.Source}' is {width}x{height} = {(long)width * height} pixels per frame; " +
                $"the limit is {options.MaxPixels} (MediaOptions.MaxPixels).", info.Source);
        }

        var aspect = (double)Math.Max(width, height) / Math.Min(width, height);
        if (aspect > options.MaxAspectRatio)
        {
            throw new MediaException(MediaErrorCode.BadDimensions,
                $"'{info.Source}' is {width}x{height}, {aspect:0.#}:1; frames more elongated than " +
                $"{options.MaxAspectRatio}:1 (MediaOptions.MaxAspectRatio) have no meaningful centre square.", info.Source);
        }

        if (info.DurationSeconds > options.MaxDurationSeconds)
        {
            throw new MediaException(MediaErrorCode.TooLong,
                $"'{info.Source}' lasts {info.DurationSeconds:0.###} s; the limit is {options.MaxDurationSeconds} s " +
                "(MediaOptions.MaxDurationSeconds).", info.Source);
        }
    }
}
