namespace EchoPipeline.Media.Tests;

internal static class Pixels
{
    /// <summary>Asserts a pixel is within <paramref name="tolerance"/> per channel (lossy codecs shift colours a little).</summary>
    public static void AssertNear((byte R, byte G, byte B) expected, (byte R, byte G, byte B) actual, int tolerance, string where)
    {
        var ok = Math.Abs(expected.R - actual.R) <= tolerance
                 && Math.Abs(expected.G - actual.G) <= tolerance
                 && Math.Abs(expected.B - actual.B) <= tolerance;
        Assert.True(ok, $"{where}: expected ~{expected}, got {actual}");
    }

    /// <summary>Mean colour over the whole frame.</summary>
    public static (double R, double G, double B) Mean(Frame frame)
    {
        var span = frame.Rgb24.Span;
        double r = 0, g = 0, b = 0;
        for (var i = 0; i < span.Length; i += 3)
        {
            (r, g, b) = (r + span[i], g + span[i + 1], b + span[i + 2]);
        }

        var n = span.Length / 3.0;
        return (r / n, g / n, b / n);
    }
}
