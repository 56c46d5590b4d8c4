namespace EchoPipeline.Media;

/// <summary>
/// Draws a <see cref="MelSpectrogram"/> as a PNG in-process: time left to right, the lowest band at the bottom,
/// <see cref="HeatColourMap"/> colours, and a frame of tick marks drawn as pixels (no fonts: ImageSharp.Drawing is
/// not available): a tick at every kHz on the left, and along the bottom one at every time step (1, 2, 5, 10, ...
/// seconds, the first that leaves room between ticks), every fifth one longer.
/// </summary>
public static class SpectrogramImage
{
    /// <summary>Pixel rows per mel band.</summary>
    public const int BandHeight = 4;

    /// <summary>Widest plot; a longer spectrogram shows the loudest of the frames each column covers.</summary>
    public const int MaxColumns = 4096;

    /// <summary>Width of the tick strip left of the plot and height of the one below it.</summary>
    public const int Margin = 12;

    internal const int TickLength = 4;
    internal const int LongTickLength = 8;
    internal const int MinTickSpacing = 24;

    internal static readonly (byte R, byte G, byte B) Background = (24, 24, 24);
    internal static readonly (byte R, byte G, byte B) Ink = (200, 200, 200);

    private static readonly double[] TimeSteps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600];

    public static byte[] RenderPng(MelSpectrogram mel)
    {
        ArgumentNullException.ThrowIfNull(mel);
        var (columns, plotHeight) = (Math.Min(mel.Frames, MaxColumns), mel.Bins * BandHeight);
        var (width, height) = (Margin + columns, plotHeight + Margin);
        var rgb = new byte[width * height * 3];
        Fill(rgb, width, 0, 0, width, height, Background);
        DrawPlot(mel, rgb, width, columns);

        // Axes along the plot's left and bottom edges.
        Fill(rgb, width, Margin - 1, 0, 1, plotHeight + 1, Ink);
        Fill(rgb, width, Margin - 1, plotHeight, columns + 1, 1, Ink);
        for (var khz = 1; khz * 1000.0 <= mel.MaxHz; khz++)
        {
            if (khz * 1000.0 >= mel.MinHz)
            {
                Fill(rgb, width, Margin - 1 - TickLength, RowOf(mel, khz * 1000.0), TickLength, 1, Ink);
            }
        }

        var step = TimeStep(mel, columns);
        for (var k = 0; ; k++)
        {
            var column = ColumnOf(mel, columns, k * step);
            if (column >= columns)
            {
                break;
            }

            Fill(rgb, width, Margin + column, plotHeight + 1, 1, k % 5 == 0 ? LongTickLength : TickLength, Ink);
        }

        return PngImages.Encode(rgb, width, height);
    }

    /// <summary>The pixel row of the plot where <paramref name="hz"/> lies (the middle of its band's rows).</summary>
    internal static int RowOf(MelSpectrogram mel, double hz) =>
        (int)Math.Round(((mel.Bins - 1 - mel.BinOf(hz)) * BandHeight) + ((BandHeight - 1) / 2.0), MidpointRounding.AwayFromZero);

    /// <summary>The plot column (from the plot's left edge) that shows the frame at <paramref name="seconds"/>.</summary>
    internal static int ColumnOf(MelSpectrogram mel, int columns, double seconds) =>
        (int)Math.Floor(seconds * mel.FramesPerSecond * columns / mel.Frames);

    internal static double TimeStep(MelSpectrogram mel, int columns) =>
        TimeSteps.FirstOrDefault(s => s * mel.FramesPerSecond * columns / mel.Frames >= MinTickSpacing, TimeSteps[^1]);

    private static void DrawPlot(MelSpectrogram mel, byte[] rgb, int width, int columns)
    {
        var values = mel.Values;
        var table = HeatColourMap.Table;
        for (var column = 0; column < columns; column++)
        {
            var (first, end) = ((int)((long)column * mel.Frames / columns), (int)((long)(column + 1) * mel.Frames / columns));
            for (var bin = 0; bin < mel.Bins; bin++)
            {
                var loudest = 0f;
                for (var frame = first; frame < end; frame++)
                {
                    // NaN compares false, so it never wins.
                    var value = values[(bin * mel.Frames) + frame];
                    if (value > loudest)
                    {
                        loudest = value;
                    }
                }

                var index = 3 * (int)Math.Round(Math.Clamp(loudest, 0f, 1f) * 255f);
                var top = (mel.Bins - 1 - bin) * BandHeight;
                for (var y = top; y < top + BandHeight; y++)
                {
                    var pixel = 3 * ((y * width) + Margin + column);
                    (rgb[pixel], rgb[pixel + 1], rgb[pixel + 2]) = (table[index], table[index + 1], table[index + 2]);
                }
            }
        }
    }

    private static void Fill(byte[] rgb, int width, int x, int y, int w, int h, (byte R, byte G, byte B) colour)
    {
        var height = rgb.Length / 3 / width;
        for (var row = Math.Max(0, y); row < Math.Min(height, y + h); row++)
        {
            for (var col = Math.Max(0, x); col < Math.Min(width, x + w); col++)
            {
                var pixel = 3 * ((row * width) + col);
                (rgb[pixel], rgb[pixel + 1], rgb[pixel + 2]) = colour;
            }
        }
    }
}
