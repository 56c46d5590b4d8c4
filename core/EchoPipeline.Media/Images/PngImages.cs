using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace EchoPipeline.Media;

/// <summary>
/// ImageSharp (2.x, Apache-2.0) for the pictures EchoPipeline makes itself. Its configuration knows PNG alone, so no
/// other decoder (GIF, TIFF, ... which had advisories in 2.x) can be reached, and it only ever decodes PNGs our own
/// ffmpeg wrote into a workspace, after their declared size has been checked against the pixel limit. (Uploaded PNGs
/// and JPEGs are decoded by <see cref="InProcessStills"/>, with its own PNG-and-JPEG configuration.)
/// </summary>
internal static class PngImages
{
    /// <summary>
    /// Catmull-Rom bicubic (ImageSharp's <c>Bicubic</c>): of ImageSharp's resamplers the closest to the FFmpeg
    /// <c>scale=flags=bicubic</c> frames the model was given before (see the tests), and it filters properly when
    /// shrinking, as the tokenizer's "short side to 256" resize expects.
    /// </summary>
    public static readonly SixLabors.ImageSharp.Processing.Processors.Transforms.IResampler FrameResampler = KnownResamplers.Bicubic;

    private static readonly Configuration PngOnly = new(new PngConfigurationModule());

    // Level 1 deflate: a fraction of the default level's time for files a few percent larger.
    private static readonly PngEncoder Encoder = new()
    {
        ColorType = PngColorType.Rgb, BitDepth = PngBitDepth.Bit8, CompressionLevel = PngCompressionLevel.BestSpeed,
    };

    /// <summary>
    /// The centre square of a PNG scaled to <paramref name="size"/> x <paramref name="size"/> rgb24: the short side
    /// resized to <paramref name="size"/>, then the middle of the long side kept.
    /// </summary>
    /// <exception cref="MediaException"><c>too_many_pixels</c> when the decoded frame is larger than <paramref name="maxPixels"/>.</exception>
    public static byte[] CentreSquare(string pngPath, int size, long maxPixels, string source)
    {
        try
        {
            return DecodeCentreSquare(pngPath, size, maxPixels, source);
        }
        catch (ImageFormatException ex)
        {
            throw new MediaException(MediaErrorCode.FfmpegFailed, $"The PNG ffmpeg wrote for a frame of '{source}' could not be read ({ex.Message}).",
                source, innerException: ex);
        }
    }

    private static byte[] DecodeCentreSquare(string pngPath, int size, long maxPixels, string source)
    {
        using var stream = File.OpenRead(pngPath);
        var info = Image.Identify(PngOnly, stream)
                   ?? throw new MediaException(MediaErrorCode.FfmpegFailed, $"ffmpeg wrote no readable PNG for a frame of '{source}'.", source);
        if ((long)info.Width * info.Height > maxPixels)
        {
            // The probe checked the stream's declared size; a stream can still change size mid-way.
            throw new MediaException(MediaErrorCode.TooManyPixels,
                $"A decoded frame of '{source}' is {info.Width}x{info.Height}, more than the {maxPixels} pixels allowed (Media:MaxPixels).", source);
        }

        stream.Position = 0;
        using var image = Image.Load<Rgb24>(PngOnly, stream);
        return ScaleSquare(image, size);
    }

    /// <summary>
    /// <paramref name="image"/> (square when FFmpeg or <see cref="InProcessStills"/> cut it) resized to
    /// <paramref name="size"/> x <paramref name="size"/> rgb24 with <see cref="FrameResampler"/>; one call for both paths, so they scale alike.
    /// </summary>
    public static byte[] ScaleSquare(Image<Rgb24> image, int size)
    {
        image.Mutate(x => x.Resize(new ResizeOptions
        {
            Size = new Size(size, size), Mode = ResizeMode.Crop, Position = AnchorPositionMode.Center, Sampler = FrameResampler,
        }));
        var pixels = new byte[size * size * 3];
        image.CopyPixelDataTo(pixels);
        return pixels;
    }

    /// <summary>Encodes rgb24 pixels (row-major, top row first) as an 8-bit RGB PNG.</summary>
    public static byte[] Encode(ReadOnlySpan<byte> rgb24, int width, int height)
    {
        using var image = Image.LoadPixelData<Rgb24>(PngOnly, rgb24, width, height);
        using var output = new MemoryStream();
        image.SaveAsPng(output, Encoder);
        return output.ToArray();
    }
}
