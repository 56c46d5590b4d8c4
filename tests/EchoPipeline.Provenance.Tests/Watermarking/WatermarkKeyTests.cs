using EchoPipeline.Provenance.Dsp;
using EchoPipeline.Provenance.Watermarking;

namespace EchoPipeline.Provenance.Tests.Watermarking;

public sealed class WatermarkKeyTests
{
    [Fact]
    public void Each_keyed_sequence_has_unit_variance_and_no_energy_outside_the_band()
    {
        var key = WatermarkKey.FromSecret("a test secret");
        var fft = new ComplexFft(WatermarkScheme.Period);

        foreach (var sequence in key.Sequences)
        {
            var samples = sequence.Samples;
            Assert.Equal(1.0, samples.Average(x => x * x), 1e-9);
            Assert.Equal(0.0, samples.Average(), 1e-12);
            var (re, im) = ((double[])samples.Clone(), new double[samples.Length]);
            fft.Forward(re, im);
            for (var k = 0; k <= WatermarkScheme.Period / 2; k++)
            {
                var magnitude = Math.Sqrt((re[k] * re[k]) + (im[k] * im[k]));
                var inBand = k * (double)WatermarkScheme.SampleRate / WatermarkScheme.Period is >= WatermarkScheme.BandLowHz and <= WatermarkScheme.BandHighHz;
                Assert.Equal(inBand ? KeyedSequence.Gain : 0, magnitude, 1e-6);
            }
        }
    }

    [Fact]
    public void The_same_secret_gives_the_same_sequences_and_another_secret_unrelated_ones()
    {
        var key = WatermarkKey.FromSecret("secret one");
        var again = WatermarkKey.FromSecret("secret one");
        var other = WatermarkKey.FromSecret("secret two");

        Assert.Equal(key.Id, again.Id);
        Assert.Equal(key.Pilot.Samples, again.Pilot.Samples);
        Assert.NotEqual(key.Id, other.Id);
        // Unrelated unit-variance sequences of 16384 samples correlate by about 1/sqrt(2 x 4979 band bins) = 0.01.
        var correlation = key.Pilot.Samples.Zip(other.Pilot.Samples, (a, b) => a * b).Average();
        Assert.InRange(Math.Abs(correlation), 0, 0.05);
        var pilotVersusSymbol = key.Pilot.Samples.Zip(key.Sequences[1].Samples, (a, b) => a * b).Average();
        Assert.InRange(Math.Abs(pilotVersusSymbol), 0, 0.05);
    }

    [Fact]
    public void The_public_default_keys_derivation_is_pinned_because_a_change_would_orphan_every_marked_file()
    {
        var key = WatermarkKey.PublicDefault;

        Assert.True(key.IsPublicDefault);
        Assert.Equal(PinnedPublicKeyId, key.Id);
        Assert.Equal(PinnedFirstPilotSample, key.Pilot.Samples[0], 1e-12);
    }

    // Values of the first build of echo-wm/1 (HMAC-SHA256 labels, AES-256-CTR phases, Period and band as in WatermarkScheme).
    private const string PinnedPublicKeyId = "d3429720";
    private const double PinnedFirstPilotSample = -1.1031836495886662;
}
