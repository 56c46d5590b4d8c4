using EchoPipeline.Cli.Evaluation;
using EchoPipeline.Engine.Audio;

namespace EchoPipeline.Cli.Tests.Evaluation;

public sealed class PatternClassifierTests
{
    private static readonly MelFrontEnd FrontEnd = new(MelParameters.SpecVqgan);

    private static SoundPattern Classify(float[] clip) => PatternClassifier.Classify(PowerMel.Of(clip, FrontEnd));

    [Theory]
    [InlineData(200)]
    [InlineData(750)]
    [InlineData(4800)]
    public void A_constant_tone_is_steady(double hz) => Assert.Equal(SoundPattern.Steady, Classify(Signals.Tone(hz)));

    [Theory]
    [InlineData(750, 2)]
    [InlineData(4800, 5.5)]
    public void A_tone_switched_on_and_off_at_2_to_6_Hz_is_pulsed(double hz, double rate) =>
        Assert.Equal(SoundPattern.Pulsed, Classify(Signals.Gated(Signals.Tone(hz), rate)));

    [Fact]
    public void A_tone_switched_at_20_Hz_is_not_pulsed() =>
        Assert.NotEqual(SoundPattern.Pulsed, Classify(Signals.Gated(Signals.Tone(750), 20)));

    [Theory]
    [InlineData(160, 230)]
    [InlineData(650, 900)]
    [InlineData(4000, 5600)]
    public void Narrow_band_noise_is_noise(double low, double high) =>
        Assert.Equal(SoundPattern.Noise, Classify(Signals.BandNoise(low, high, seed: 3)));
}
