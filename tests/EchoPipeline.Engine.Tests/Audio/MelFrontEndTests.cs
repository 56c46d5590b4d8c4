using EchoPipeline.Engine.Audio;
using Xunit.Abstractions;

namespace EchoPipeline.Engine.Tests.Audio;

public sealed class MelFrontEndTests(ITestOutputHelper output)
{
    private const int Frames = 848;
    private readonly MelFrontEnd _frontEnd = new(MelParameters.SpecVqgan);

    [Fact]
    public void Matches_the_numpy_reference_pipeline_on_a_chirp_and_tone()
    {
        // tools/dsp_reference.py keeps every 4th of the 848 frames, [80, 212] mel-major, float32.
        var expected = TestSignals.ReadFloat32("mel_frontend_chirp_80x212.f32");
        var mel = _frontEnd.Compute(TestSignals.Chirp());

        Assert.Equal(80 * Frames, mel.Length);
        var worst = 0.0;
        for (var m = 0; m < 80; m++)
        {
            for (var j = 0; j < 212; j++)
            {
                worst = Math.Max(worst, Math.Abs(mel[(m * Frames) + (4 * j)] - expected[(m * 212) + j]));
            }
        }

        // Both sides compute in float64 and round to float32 once: 1e-6 is a few float32 steps on [0, 1].
        output.WriteLine($"max abs error vs numpy: {worst:E2} over 80x212 values");
        Assert.True(worst < 1e-6, $"max abs error {worst:E2}");
    }

    [Fact]
    public void Silence_maps_to_zero_everywhere()
    {
        Assert.All(_frontEnd.Compute(new float[22050]), x => Assert.Equal(0f, x));
    }

    [Theory]
    [InlineData(10)]
    [InlineData(30)]
    [InlineData(50)]
    [InlineData(70)]
    public void A_tone_at_a_filter_centre_lands_in_that_mel_bin(int bin)
    {
        var hz = SlaneyMelFilterbank.Create(MelParameters.SpecVqgan).BandEdges[bin + 1];
        var mel = _frontEnd.Compute(TestSignals.Tone(hz, 0.5, 220500));

        for (var t = 0; t < Frames; t += 100)
        {
            var column = Enumerable.Range(0, 80).Select(m => mel[(m * Frames) + t]).ToArray();
            Assert.Equal(bin, Array.IndexOf(column, column.Max()));
        }
    }

    [Fact]
    public void A_full_scale_tone_peaks_near_the_top()
    {
        var mel = _frontEnd.Compute(TestSignals.Tone(1000, 1.0, 220500));
        Assert.InRange(mel.Max(), 0.95f, 1f);   // numpy reference: 0.987
    }

    [Fact]
    public void Pads_short_input_with_silence_and_cuts_long_input_at_ten_seconds()
    {
        // One second of tone: output frame t is centred on sample (t + 6) * 256, so frames from 83 on see only padding.
        var mel = _frontEnd.Compute(TestSignals.Tone(1000, 0.5, 22050));
        Assert.True(mel[(24 * Frames) + 70] > 0.5f);
        for (var t = 83; t < Frames; t++)
        {
            Assert.Equal(0f, mel[(24 * Frames) + t]);
        }

        var chirp = TestSignals.Chirp();
        Assert.Equal(_frontEnd.Compute(chirp.AsSpan(0, 220500)), _frontEnd.Compute(chirp));
    }

    [Fact]
    public void Rejects_non_finite_samples_and_a_wrong_destination()
    {
        var samples = new float[1000];
        samples[123] = float.NaN;
        var error = Assert.Throws<ArgumentException>(() => _frontEnd.Compute(samples));
        Assert.Contains("Sample 123", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<ArgumentException>(() => _frontEnd.Compute(new float[10], new float[80 * 847]));
        Assert.Contains("67840", error.Message, StringComparison.Ordinal);
    }
}
