namespace EchoPipeline.Media;

/// <summary>
/// Black through purple, red and orange to white: brightness (Rec. 709 luma) rises with the value all the way, so
/// louder always reads lighter, also in greyscale.
/// </summary>
internal static class HeatColourMap
{
    private static readonly (double At, byte R, byte G, byte B)[] Stops =
    [
        (0.00, 0, 0, 0),
        (0.30, 90, 0, 120),
        (0.60, 220, 40, 40),
        (0.85, 255, 180, 0),
        (1.00, 255, 255, 255),
    ];

    /// <summary>256 entries: index round(value x 255).</summary>
    public static readonly byte[] Table = Build();

    private static byte[] Build()
    {
        var table = new byte[256 * 3];
        for (var i = 0; i < 256; i++)
        {
            var value = i / 255.0;
            var upper = 1;
            while (Stops[upper].At < value)
            {
                upper++;
            }

            var (a, b) = (Stops[upper - 1], Stops[upper]);
            var t = (value - a.At) / (b.At - a.At);
            table[3 * i] = (byte)Math.Round(a.R + (t * (b.R - a.R)));
            table[(3 * i) + 1] = (byte)Math.Round(a.G + (t * (b.G - a.G)));
            table[(3 * i) + 2] = (byte)Math.Round(a.B + (t * (b.B - a.B)));
        }

        return table;
    }
}
