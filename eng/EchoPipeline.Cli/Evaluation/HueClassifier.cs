namespace EchoPipeline.Cli.Evaluation;

/// <summary>
/// Dominant hue class of an rgb24 image: the circular mean of the pixels' hues weighted by their chroma
/// (max - min of r, g, b, so grey pixels do not count), rounded to the nearest multiple of 45 degrees.
/// </summary>
internal static class HueClassifier
{
    public static int ClassOf(ReadOnlySpan<byte> rgb24)
    {
        double x = 0, y = 0;
        for (var i = 0; i + 2 < rgb24.Length; i += 3)
        {
            var (hue, chroma) = HueAndChroma(rgb24[i], rgb24[i + 1], rgb24[i + 2]);
            x += chroma * Math.Cos(hue * Math.PI / 180);
            y += chroma * Math.Sin(hue * Math.PI / 180);
        }

        if (x == 0 && y == 0)
        {
            return -1;  // no colour at all
        }

        var mean = (Math.Atan2(y, x) * 180 / Math.PI) + 360;
        return (int)Math.Floor((mean + 22.5) / 45) % WorldBands.Count;
    }

    /// <summary>HSV hue in degrees [0, 360) and chroma in [0, 1].</summary>
    public static (double Hue, double Chroma) HueAndChroma(byte red, byte green, byte blue)
    {
        double r = red / 255.0, g = green / 255.0, b = blue / 255.0;
        var max = Math.Max(r, Math.Max(g, b));
        var chroma = max - Math.Min(r, Math.Min(g, b));
        if (chroma == 0)
        {
            return (0, 0);
        }

        var sector = max == r ? ((g - b) / chroma % 6 + 6) % 6 : max == g ? ((b - r) / chroma) + 2 : ((r - g) / chroma) + 4;
        return (sector * 60, chroma);
    }
}
