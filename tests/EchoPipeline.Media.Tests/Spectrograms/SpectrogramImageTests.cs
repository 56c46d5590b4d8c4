using System.Globalization;

namespace EchoPipeline.Media.Tests.Spectrograms;

/// <summary>The PNGs are decoded by the ffmpeg CLI, and positions are worked out by hand from the mel scale.</summary>
public sealed class SpectrogramImageTests(MediaSamples samples) : IClassFixture<MediaSamples>
{
    private const int Bins = 80, Frames = 848, Rate = 22050, Hop = 256;
    private const int Margin = SpectrogramImage.Margin, PlotHeight = Bins * SpectrogramImage.BandHeight;

    [Fact]
    public void The_image_is_one_column_per_frame_and_four_rows_per_band_plus_the_tick_strips()
    {
        var (width, height, _) = Decode(SpectrogramImage.RenderPng(Mel((_, _) => 0.5f)));

        Assert.Equal((12 + 848, 320 + 12), (width, height));
    }

    [Fact]
    public void One_loud_band_is_drawn_at_its_own_rows_counted_from_the_bottom()
    {
        // Band 23 (0 = lowest) has rows (79 - 23) * 4 .. + 3 = 224..227 from the top.
        var (width, _, rgb) = Decode(SpectrogramImage.RenderPng(Mel((bin, _) => bin == 23 ? 1f : 0f)));

        var brightest = Enumerable.Range(0, PlotHeight).Where(y => Luma(rgb, width, Margin + 400, y) > 200).ToArray();
        Assert.Equal([224, 225, 226, 227], brightest);
    }

    [Fact]
    public void Silence_is_black_full_scale_is_white_and_brightness_rises_with_loudness()
    {
        // Columns 0..847 sweep the value 0 -> 1.
        var (width, _, rgb) = Decode(SpectrogramImage.RenderPng(Mel((_, frame) => frame / 847f)));

        var lumas = Enumerable.Range(0, Frames).Select(x => Luma(rgb, width, Margin + x, 100)).ToArray();
        Assert.Equal(((byte)0, (byte)0, (byte)0), Pixel(rgb, width, Margin, 100));
        Assert.Equal(((byte)255, (byte)255, (byte)255), Pixel(rgb, width, Margin + 847, 100));
        for (var x = 1; x < lumas.Length; x++)
        {
            Assert.True(lumas[x] >= lumas[x - 1], $"luma falls from {lumas[x - 1]} to {lumas[x]} at column {x}");
        }

        Assert.True(lumas[600] > lumas[300] + 20, "a louder column is clearly lighter");
    }

    [Fact]
    public void Frequency_ticks_sit_at_each_khz_on_the_slaney_mel_scale()
    {
        // Slaney mels: 125 Hz = 1.875, 7600 Hz = 15 + ln(7.6) / (ln(6.4) / 27) = 44.4996, 1 kHz = 15, 4 kHz = 35.1638.
        // Band of f: (mel(f) - 1.875) / 42.6246 * 81 - 1, so 1 kHz is band 23.94 and 4 kHz band 62.26;
        // rows from the top: (79 - band) * 4 + 1.5, i.e. 221.7 -> 222 and 68.5 -> 68.
        var (width, _, rgb) = Decode(SpectrogramImage.RenderPng(Mel((_, _) => 0f)));

        var tickRows = Enumerable.Range(0, PlotHeight).Where(y => Luma(rgb, width, Margin - 3, y) > 150).ToArray();
        Assert.Equal(7, tickRows.Length);
        Assert.Equal(222, tickRows[^1]);
        Assert.Equal(68, tickRows[^4]);
    }

    [Fact]
    public void Time_ticks_sit_at_each_second_with_every_fifth_longer()
    {
        // 22050 / 256 = 86.13 frames per second, one column each: seconds 0..9 at columns 0, 86, 172, ..., 775.
        var (width, _, rgb) = Decode(SpectrogramImage.RenderPng(Mel((_, _) => 0f)));

        var tickColumns = Enumerable.Range(0, Frames).Where(x => Luma(rgb, width, Margin + x, PlotHeight + 2) > 150).ToArray();
        var longTicks = Enumerable.Range(0, Frames).Where(x => Luma(rgb, width, Margin + x, PlotHeight + 7) > 150).ToArray();
        Assert.Equal([0, 86, 172, 258, 344, 430, 516, 602, 689, 775], tickColumns);
        Assert.Equal([0, 430], longTicks);
    }

    [Fact]
    public void A_long_soundtrack_is_squeezed_to_the_widest_plot_keeping_its_peaks()
    {
        // 20000 frames (232 s); a single loud frame must survive the squeeze into 4096 columns.
        const int LongFrames = 20000;
        var values = new float[Bins * LongFrames];
        values[(40 * LongFrames) + 12345] = 1f;

        var (width, _, rgb) = Decode(SpectrogramImage.RenderPng(new MelSpectrogram(values, Bins, LongFrames, Rate, Hop, 125, 7600)));

        Assert.Equal(Margin + SpectrogramImage.MaxColumns, width);
        var column = 12345 * 4096 / LongFrames;
        Assert.Equal(((byte)255, (byte)255, (byte)255), Pixel(rgb, width, Margin + column, (79 - 40) * 4));
        Assert.Equal(((byte)0, (byte)0, (byte)0), Pixel(rgb, width, Margin + column + 1, (79 - 40) * 4));
    }

    [Fact]
    public void A_mel_whose_size_does_not_match_its_shape_is_refused() =>
        Assert.Throws<ArgumentException>(() => new MelSpectrogram(new float[10], Bins, Frames, Rate, Hop, 125, 7600));

    private static MelSpectrogram Mel(Func<int, int, float> value)
    {
        var values = new float[Bins * Frames];
        for (var bin = 0; bin < Bins; bin++)
        {
            for (var frame = 0; frame < Frames; frame++)
            {
                values[(bin * Frames) + frame] = value(bin, frame);
            }
        }

        return new MelSpectrogram(values, Bins, Frames, Rate, Hop, 125, 7600);
    }

    private (int Width, int Height, byte[] Rgb) Decode(byte[] png)
    {
        var path = samples.PathOf($"spectrogram-{Guid.NewGuid():N}.png");
        File.WriteAllBytes(path, png);
        var size = System.Text.Encoding.ASCII.GetString(
            MediaSamples.Ffprobe(["-v", "error", "-show_entries", "stream=width,height", "-of", "csv=p=0", "file:" + path])).Trim().Split(',');
        return (int.Parse(size[0], CultureInfo.InvariantCulture), int.Parse(size[1], CultureInfo.InvariantCulture), MediaSamples.DecodeRgb24(path));
    }

    private static (byte R, byte G, byte B) Pixel(byte[] rgb, int width, int x, int y)
    {
        var i = 3 * ((y * width) + x);
        return (rgb[i], rgb[i + 1], rgb[i + 2]);
    }

    private static double Luma(byte[] rgb, int width, int x, int y)
    {
        var (r, g, b) = Pixel(rgb, width, x, y);
        return (0.2126 * r) + (0.7152 * g) + (0.0722 * b);
    }
}
