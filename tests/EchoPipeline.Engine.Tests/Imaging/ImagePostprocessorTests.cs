using EchoPipeline.Engine.Imaging;

namespace EchoPipeline.Engine.Tests.Imaging;

public sealed class ImagePostprocessorTests
{
    [Fact]
    public void Rounds_clamps_and_interleaves_the_planes()
    {
        // Planes R = [-1, 1.5], G = [0, NaN], B = [-3, 0.6]; (0 + 1) * 127.5 = 127.5 rounds away from zero to 128.
        float[] nchw = [-1f, 1.5f, 0f, float.NaN, -3f, 0.6f];
        var rgb = new byte[6];

        ImagePostprocessor.ToRgb24(nchw, 2, 1, rgb);

        Assert.Equal([0, 128, 0, 255, 0, 204], rgb);
    }

    [Fact]
    public void Preprocessing_then_postprocessing_returns_every_byte()
    {
        var rgb = Enumerable.Range(0, 256 * 256 * 3).Select(i => (byte)((i * 7) + (i / 768))).ToArray();
        var nchw = new float[3 * 256 * 256];
        var back = new byte[rgb.Length];

        ImagePreprocessor.ToNchw(rgb, nchw);
        ImagePostprocessor.ToRgb24(nchw, back);

        Assert.Equal(rgb, back);
        Assert.Equal(256, rgb.Distinct().Count());
    }

    [Fact]
    public void Names_the_expected_and_actual_lengths()
    {
        var error = Assert.Throws<ArgumentException>(() => ImagePostprocessor.ToRgb24(new float[5], 2, 1, new byte[6]));
        Assert.Contains("needs 6 floats; got 5", error.Message, StringComparison.Ordinal);
    }
}
