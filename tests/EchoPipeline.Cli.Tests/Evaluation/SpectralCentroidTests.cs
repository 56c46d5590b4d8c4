using EchoPipeline.Cli.Evaluation;
using EchoPipeline.Engine.Audio;

namespace EchoPipeline.Cli.Tests.Evaluation;

public sealed class SpectralCentroidTests
{
    private static readonly MelFrontEnd FrontEnd = new(MelParameters.SpecVqgan);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(7)]
    public void A_tone_at_the_geometric_centre_of_band_k_is_in_band_k(int band)
    {
        var hz = Math.Sqrt(WorldBands.LowHz(band) * WorldBands.HighHz(band));

        var centroid = SpectralCentroid.Hz(PowerMel.Of(Signals.Tone(hz), FrontEnd));

        Assert.Equal(band, WorldBands.BandOf(centroid));
        Assert.InRange(centroid / hz, 0.95, 1.05);  // a tone's centroid is the tone, to the mel bands' resolution
    }

    [Fact]
    public void Two_equal_tones_have_their_centroid_between_them_nearer_the_low_one()
    {
        var low = Signals.Tone(400);
        var both = Signals.Tone(3000).Select((x, i) => x + low[i]).ToArray();

        var centroid = SpectralCentroid.Hz(PowerMel.Of(both, FrontEnd));

        // Slaney bands are area-normalised (height 2 / width): the 3 kHz band is about 3x wider than the 400 Hz one,
        // so the same tone gives it about 1/9 of the power, which pulls the centroid to (400 + 3000/9) / (1 + 1/9) ~ 660 Hz.
        Assert.InRange(centroid, 500, 900);
    }
}
