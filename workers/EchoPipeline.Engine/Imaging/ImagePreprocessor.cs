namespace EchoPipeline.Engine.Imaging;

/// <summary>
/// rgb24 pixels (row-major, interleaved R,G,B) to the VQGAN's input: planar float NCHW with x / 127.5 - 1, so 0 → -1
/// and 255 → 1. Writes into a caller span, so image b of a batch goes to batch.Slice(b * 3 * H * W, 3 * H * W).
/// </summary>
public static class ImagePreprocessor
{
    /// <summary>The VQGAN's input side (DESIGN §3).</summary>
    public const int Size = 256;

    public static void ToNchw(ReadOnlySpan<byte> rgb24, Span<float> destination) => ToNchw(rgb24, Size, Size, destination);

    public static void ToNchw(ReadOnlySpan<byte> rgb24, int width, int height, Span<float> destination)
    {
        var plane = ImageLayout.Check(rgb24.Length, destination.Length, width, height, "destination");
        var r = destination[..plane];
        var g = destination.Slice(plane, plane);
        var b = destination.Slice(2 * plane, plane);
        for (var i = 0; i < plane; i++)
        {
            r[i] = (rgb24[3 * i] / 127.5f) - 1f;
            g[i] = (rgb24[(3 * i) + 1] / 127.5f) - 1f;
            b[i] = (rgb24[(3 * i) + 2] / 127.5f) - 1f;
        }
    }
}
