using EchoPipeline.Engine.Audio;

namespace EchoPipeline.Engine.Tests.Audio;

public sealed class MelParametersTests
{
    [Fact]
    public void SpecVqgan_defaults_give_the_design_sizes()
    {
        var p = MelParameters.SpecVqgan;
        Assert.Equal(220500, p.ClipSamples);
        Assert.Equal(513, p.FrequencyBins);
        Assert.Equal(6, p.CropStart);
        Assert.Equal(217088, p.OutputSamples);
        Assert.Equal(80 * 848, p.MelLength);
        p.Validate();
    }

    [Fact]
    public void Normalisation_maps_minus_80_to_plus_20_db_onto_0_to_1()
    {
        var p = MelParameters.SpecVqgan;
        Assert.Equal(0f, MelNormalization.Normalize(1e-4, p), 1e-6);   // -80 dB
        Assert.Equal(0.8f, MelNormalization.Normalize(1, p), 1e-6);    // 0 dB
        Assert.Equal(1f, MelNormalization.Normalize(10, p), 1e-6);     // +20 dB
        Assert.Equal(0f, MelNormalization.Normalize(0, p));         // floored at 1e-5 (-100 dB), clipped
        Assert.Equal(1f, MelNormalization.Normalize(1000, p));
        Assert.Equal(1.0, MelNormalization.Denormalize(0.8f, p), 1e-6);
        Assert.Equal(1e-4, MelNormalization.Denormalize(-0.5f, p), 1e-12);
    }

    [Fact]
    public void Validate_names_the_inconsistent_field()
    {
        var error = Assert.Throws<ArgumentException>(() => (MelParameters.SpecVqgan with { NFft = 1000 }).Validate());
        Assert.Equal("NFft", error.ParamName);
        error = Assert.Throws<ArgumentException>(() => (MelParameters.SpecVqgan with { Frames = 900 }).Validate());
        Assert.Contains("Frames must be in 1..860, got 900", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<ArgumentException>(() => (MelParameters.SpecVqgan with { FMax = 12000 }).Validate());
        Assert.Equal("FMax", error.ParamName);
    }
}
