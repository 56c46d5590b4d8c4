namespace EchoPipeline.Media;

/// <summary>The still-image formats decoded in process, with the names ffprobe gives them.</summary>
internal sealed record StillFormat(string ContainerFormat, string Codec)
{
    public static readonly StillFormat Png = new("png_pipe", "png");

    public static readonly StillFormat Jpeg = new("jpeg_pipe", "mjpeg");

    /// <summary>
    /// <see cref="Png"/> or <see cref="Jpeg"/> when <paramref name="file"/> is exactly one such picture from its first
    /// byte to its last, in a form whose frame the in-process path makes as FFmpeg would; null for anything else
    /// (truncated, trailing bytes, several pictures, 16-bit or animated PNG, arithmetic-coded, lossless or 12-bit
    /// JPEG, other formats), which FFmpeg then probes as before.
    /// </summary>
    public static StillFormat? Recognise(ReadOnlySpan<byte> file) =>
        PngStructure.IsSinglePicture(file) ? Png : JpegStructure.IsSinglePicture(file) ? Jpeg : null;
}
