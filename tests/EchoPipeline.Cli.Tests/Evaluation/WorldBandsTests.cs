using EchoPipeline.Cli.Evaluation;

namespace EchoPipeline.Cli.Tests.Evaluation;

public sealed class WorldBandsTests
{
    [Fact]
    public void Band_edges_are_150_Hz_times_powers_of_40_to_the_k_over_8()
    {
        Assert.Equal(150, WorldBands.LowHz(0), 9);
        Assert.Equal(150 * Math.Pow(40, 3 / 8.0), WorldBands.LowHz(3), 9);
        Assert.Equal(6000, WorldBands.HighHz(7), 9);
    }

    [Theory]
    [InlineData(100, 0)]    // below the first band: band 0
    [InlineData(200, 0)]    // 150 .. 237.8
    [InlineData(240, 1)]    // 237.8 .. 376.9
    [InlineData(750, 3)]    // 597.3 .. 946.6
    [InlineData(1000, 4)]   // 946.6 .. 1500.3
    [InlineData(5000, 7)]   // 3785.4 .. 6000
    [InlineData(7000, 7)]   // above the last band: band 7
    public void A_frequency_falls_in_its_band(double hz, int band) => Assert.Equal(band, WorldBands.BandOf(hz));
}
