namespace EchoPipeline.Media.Tests.Spectrograms;

public sealed class SpectrogramRendererTests(MediaSamples samples) : IClassFixture<MediaSamples>
{
    [Fact]
    public async Task A_1000_hz_tone_is_the_brightest_row_where_its_frequency_is()
    {
        const int Width = 256, Height = 128;
        var wav = samples.Make("1khz.wav", "-f", "lavfi", "-i", "sine=f=1000:d=2:sample_rate=22050", "-c:a", "pcm_s16le");

        var png = await new SpectrogramRenderer(new FfmpegRunner(MediaSamples.Options)).RenderAsync(wav, Width, Height);

        var path = samples.PathOf("1khz.png");
        await File.WriteAllBytesAsync(path, png);
        var gray = MediaSamples.Ffmpeg(["-i", "file:" + path, "-pix_fmt", "gray", "-f", "rawvideo", "pipe:1"]);
        Assert.Equal(Width * Height, gray.Length);
        var rowMeans = Enumerable.Range(0, Height).Select(y => gray.AsSpan(y * Width, Width).ToArray().Average(b => b)).ToArray();
        var brightest = Array.IndexOf(rowMeans, rowMeans.Max());
        // Rows run from 11025 Hz (top) to 0 Hz (bottom): 1000 Hz sits at 127 - 1000 / 11025 * 128 = 115.4.
        Assert.InRange(brightest, 113, 118);
    }
}
