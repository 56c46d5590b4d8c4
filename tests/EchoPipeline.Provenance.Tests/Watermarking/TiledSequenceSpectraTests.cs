using EchoPipeline.Provenance.Dsp;
using EchoPipeline.Provenance.Watermarking;

namespace EchoPipeline.Provenance.Tests.Watermarking;

public sealed class TiledSequenceSpectraTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(1536)]
    [InlineData(WatermarkScheme.Period)]
    [InlineData((3 * WatermarkScheme.Period) + 777)]
    [InlineData(217_088)]
    public void Every_pair_has_the_bits_of_the_transform_of_the_explicitly_tiled_sequence(int length)
    {
        var random = new Random(length);
        var period = Enumerable.Range(0, WatermarkScheme.Period).Select(_ => random.NextDouble() - 0.5).ToArray();
        var tiled = Enumerable.Range(0, length).Select(n => period[n % WatermarkScheme.Period]).ToArray();
        var spectra = new TiledSequenceSpectra(period, length);
        var (transform, segment) = (new SqrtHannFrames(), TiledSequenceSpectra.NewSegment());
        var (first, second, expectedFirst, expectedSecond) = (new Spectrum(), new Spectrum(), new Spectrum(), new Spectrum());

        for (var t = 0; t < SqrtHannFrames.FrameCount(length); t += 2)
        {
            spectra.CopyTo(t, first, second, transform, segment);
            new SqrtHannFrames().Analyze(tiled, t, expectedFirst, expectedSecond);

            Assert.Equal(expectedFirst.Re, first.Re);
            Assert.Equal(expectedFirst.Im, first.Im);
            Assert.Equal(expectedSecond.Re, second.Re);
            Assert.Equal(expectedSecond.Im, second.Im);
        }
    }

    [Fact]
    public void A_period_of_the_wrong_length_is_refused() =>
        Assert.Throws<ArgumentException>(() => new TiledSequenceSpectra(new double[WatermarkScheme.Period - 1], 1000));
}
