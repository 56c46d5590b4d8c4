namespace EchoPipeline.Media.Tests.Frames;

public sealed class FramePngTests(MediaSamples samples) : IClassFixture<MediaSamples>
{
    [Fact]
    public async Task Png_round_trips_the_exact_pixels()
    {
        var pixels = new byte[Frame.ByteLength];
        new Random(1234).NextBytes(pixels);
        var frame = new Frame(pixels, TimeSpan.FromSeconds(1.5));

        var png = FramePng.Encode(frame);

        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0d, 0x0a, 0x1a, 0x0a], png[..8]);
        var path = samples.PathOf("frame.png");
        await File.WriteAllBytesAsync(path, png);
        // Decoded by the ffmpeg CLI, not by the library that wrote it.
        Assert.Equal(pixels, MediaSamples.DecodeRgb24(path));
    }

    [Fact]
    public void A_frame_of_the_wrong_size_is_refused()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Frame(new byte[100], TimeSpan.Zero));

        Assert.Contains("196608", ex.Message, StringComparison.Ordinal);
    }
}
