using EchoPipeline.Cli.Evaluation;

namespace EchoPipeline.Cli.Tests.Evaluation;

public sealed class HueClassifierTests
{
    [Theory]
    [InlineData(255, 0, 0, 0)]       // red, hue 0
    [InlineData(255, 191, 0, 1)]     // hue 45
    [InlineData(0, 255, 0, 3)]       // green, hue 120 -> nearest 135
    [InlineData(0, 255, 255, 4)]     // cyan, hue 180
    [InlineData(0, 0, 255, 5)]       // blue, hue 240 -> nearest 225
    [InlineData(255, 0, 64, 0)]      // hue 345: wraps to class 0
    [InlineData(255, 0, 191, 7)]     // hue 315
    public void A_single_colour_image_has_its_hue_class(byte r, byte g, byte b, int expected)
    {
        var image = Enumerable.Range(0, 256 * 256).SelectMany(_ => new[] { r, g, b }).ToArray();

        Assert.Equal(expected, HueClassifier.ClassOf(image));
    }

    [Fact]
    public void Hue_is_computed_as_in_hsv()
    {
        var (hue, chroma) = HueClassifier.HueAndChroma(255, 128, 0);

        Assert.Equal(60 * 128 / 255.0, hue, 9);
        Assert.Equal(1, chroma, 9);
    }

    [Fact]
    public void Grey_pixels_do_not_count_and_an_all_grey_image_has_no_class()
    {
        var grey = Enumerable.Repeat((byte)128, 3 * 1000).ToArray();
        var mostlyGrey = grey.Concat(new byte[] { 0, 0, 255 }).ToArray();

        Assert.Equal(-1, HueClassifier.ClassOf(grey));
        Assert.Equal(5, HueClassifier.ClassOf(mostlyGrey));
    }
}
