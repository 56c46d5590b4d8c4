namespace EchoPipeline.Media;

/// <summary>Frames as PNG files (the stored frame of each segment, audio-to-image output), encoded in-process.</summary>
public static class FramePng
{
    /// <summary>A lossless 256x256 8-bit RGB PNG of <paramref name="frame"/>.</summary>
    public static byte[] Encode(Frame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        return PngImages.Encode(frame.Rgb24.Span, Frame.Size, Frame.Size);
    }
}
