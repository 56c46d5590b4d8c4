namespace EchoPipeline.Engine.Imaging;

internal static class ImageLayout
{
    /// <summary>Checks an rgb24 buffer and a [3, H, W] float buffer against the size; returns H * W.</summary>
    public static int Check(int rgbLength, int planarLength, int width, int height, string planarName)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        var plane = width * height;
        if (rgbLength != 3 * plane)
        {
            throw new ArgumentException($"rgb24 image of {width}x{height} needs {3 * plane} bytes; got {rgbLength}.");
        }

        if (planarLength != 3 * plane)
        {
            throw new ArgumentException($"{planarName} for [3, {height}, {width}] needs {3 * plane} floats; got {planarLength}.", planarName);
        }

        return plane;
    }
}
