namespace EchoPipeline.Engine.Imaging;

/// <summary>
/// The inverse of <see cref="ImagePreprocessor"/>: planar NCHW floats in [-1, 1] to rgb24, byte = round((x + 1) * 127.5)
/// with halves rounded away from zero, clamped to 0..255 (NaN becomes 0), so preprocessing then postprocessing
/// returns every byte unchanged.
/// </summary>
public static class ImagePostprocessor
{
    public static void ToRgb24(ReadOnlySpan<float> nchw, Span<byte> destination) =>
        ToRgb24(nchw, ImagePreprocessor.Size, ImagePreprocessor.Size, destination);

    public static void ToRgb24(ReadOnlySpan<float> nchw, int width, int height, Span<byte> destination)
    {
        var plane = ImageLayout.Check(destination.Length, nchw.Length, width, height, "nchw");
        for (var c = 0; c < 3; c++)
        {
            var channel = nchw.Slice(c * plane, plane);
            for (var i = 0; i < plane; i++)
            {
                destination[(3 * i) + c] = ToByte(channel[i]);
            }
        }
    }

    private static byte ToByte(float x)
    {
        var scaled = MathF.Round((x + 1f) * 127.5f, MidpointRounding.AwayFromZero);
        return float.IsNaN(scaled) ? (byte)0 : (byte)Math.Clamp(scaled, 0f, 255f);
    }
}
