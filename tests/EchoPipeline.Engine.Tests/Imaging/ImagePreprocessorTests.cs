using EchoPipeline.Engine.Imaging;

namespace EchoPipeline.Engine.Tests.Imaging;

public sealed class ImagePreprocessorTests
{
    [Fact]
    public void Maps_bytes_to_x_over_127_5_minus_1()
    {
        byte[] rgb = [0, 255, 51, 127, 128, 204];   // 2x1 image
        var nchw = new float[6];

        ImagePreprocessor.ToNchw(rgb, 2, 1, nchw);

        // Planes [R0 R1 | G0 G1 | B0 B1]; 51/127.5 - 1 = -0.6, 204/127.5 - 1 = 0.6, 127 and 128 are -+1/255 around 127.5.
        double[] expected = [-1, -1.0 / 255, 1, 1.0 / 255, -0.6, 0.6];
        for (var i = 0; i < 6; i++)
        {
            Assert.Equal(expected[i], nchw[i], 1e-6);   // float32 arithmetic: a few ulps near 1
        }
    }

    [Fact]
    public void Writes_the_red_plane_first_in_row_major_order()
    {
        const int width = 4, height = 3;
        var rgb = new byte[width * height * 3];
        var (x, y) = (2, 1);
        rgb[(((y * width) + x) * 3) + 0] = 255;   // R
        rgb[(((y * width) + x) * 3) + 2] = 255;   // B
        var nchw = new float[3 * width * height];

        ImagePreprocessor.ToNchw(rgb, width, height, nchw);

        var plane = width * height;
        var at = (y * width) + x;
        Assert.Equal(1f, nchw[at]);
        Assert.Equal(-1f, nchw[plane + at]);
        Assert.Equal(1f, nchw[(2 * plane) + at]);
        Assert.Equal(2, nchw.Count(v => v == 1f));
    }

    [Fact]
    public void Fills_one_image_of_a_batch_buffer_at_its_offset()
    {
        var image = Enumerable.Repeat((byte)255, 256 * 256 * 3).ToArray();
        var batch = new float[2 * 3 * 256 * 256];

        ImagePreprocessor.ToNchw(image, batch.AsSpan(3 * 256 * 256));

        Assert.All(batch.AsSpan(0, 3 * 256 * 256).ToArray(), v => Assert.Equal(0f, v));
        Assert.All(batch.AsSpan(3 * 256 * 256).ToArray(), v => Assert.Equal(1f, v));
    }

    [Fact]
    public void Names_the_expected_and_actual_lengths()
    {
        var error = Assert.Throws<ArgumentException>(() => ImagePreprocessor.ToNchw(new byte[100], new float[3 * 256 * 256]));
        Assert.Contains("256x256 needs 196608 bytes; got 100", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<ArgumentException>(() => ImagePreprocessor.ToNchw(new byte[12], 2, 2, new float[11]));
        Assert.Contains("[3, 2, 2] needs 12 floats; got 11", error.Message, StringComparison.Ordinal);
    }
}
