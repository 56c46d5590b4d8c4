using EchoPipeline.Provenance.Watermarking;

namespace EchoPipeline.Provenance.Tests.Watermarking;

/// <summary>The two measures of the mark's sound against signals whose answer is known: white noise and a pure tone.</summary>
public sealed class MarkSpectrumTests
{
    [Fact]
    public void White_noise_is_flat_with_no_prominent_peak()
    {
        var noise = TestAudio.WhiteNoise(10, seed: 9);

        // Averaged over ~430 frames the periodogram's scatter is small: flatness near 1, peaks within a few dB.
        Assert.InRange(MarkSpectrum.Flatness(noise), 0.95, 1.0);
        Assert.InRange(MarkSpectrum.PeakProminenceDb(noise), 0, 3);
    }

    [Fact]
    public void A_tone_is_not_flat_and_stands_far_above_its_neighbours()
    {
        var tone = TestAudio.Tone(10, 1000).Zip(TestAudio.WhiteNoise(10, seed: 2, rms: 1e-4), (a, b) => a + b).ToArray();

        Assert.InRange(MarkSpectrum.Flatness(tone), 0, 0.1);
        Assert.InRange(MarkSpectrum.PeakProminenceDb(tone), 40, 200);
    }

    [Fact]
    public void The_mark_added_to_a_tone_is_noise_not_a_tone()
    {
        var original = TestAudio.Tone(10, 1000);

        var marked = WatermarkEmbedder.Embed(original, WatermarkKey.PublicDefault, new WatermarkPayload(5), out _);
        var mark = marked.Zip(original, (a, b) => a - b).ToArray();

        // The mark follows the tone's broad envelope (a hump around 1 kHz), but no bin towers over its neighbours.
        Assert.InRange(MarkSpectrum.PeakProminenceDb(mark), 0, 6);
    }
}
