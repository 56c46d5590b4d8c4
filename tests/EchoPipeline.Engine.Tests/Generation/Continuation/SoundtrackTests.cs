using EchoPipeline.Engine.Generation;
using EchoPipeline.Engine.Generation.Continuation;
using EchoPipeline.Engine.Generation.Watermarking;

namespace EchoPipeline.Engine.Tests.Generation.Continuation;

/// <summary>Soundtracks with cuts and lengths, on the tiny bundle in ONNX Runtime (unmarked, so samples compare exactly).</summary>
public sealed class SoundtrackTests : IDisposable
{
    private const int Column = 4096;
    private const int Window = 53 * Column;
    private const int Fade = 1102; // 0.05 s at 22050 Hz
    private const long Cut = 220500; // 10 s

    private readonly EchoModel _model = TinyModel.Load();
    private readonly EchoGenerator _generator;

    public SoundtrackTests() => _generator = new EchoGenerator(_model, watermark: WatermarkPolicy.Off);

    public void Dispose() => _model.Dispose();

    [Fact]
    public async Task A_window_at_a_cut_is_generated_afresh_and_crossfaded_in_at_the_cut()
    {
        var result = await _generator.GenerateSoundtrackAsync(TwoShots(), new EchoRequest { Seed = 40, Steps = 3, LengthSamples = 2 * Cut });

        // Window 2 starts shot 2: the same tokens as a lone generation of its frame with its seed, no context.
        var alone = _generator.Generate([new EchoRequest { Image = TinyModel.Picture(4), Seed = SoundtrackRequest.WindowSeed(40, 2), Steps = 3 }])[0];
        Assert.Equal(alone.AudioTokens, result.Windows[2].AudioTokens);
        Assert.Equal([new WindowPlacement(0, 0), new WindowPlacement(2 * Column, 51), new WindowPlacement(Cut, 0), new WindowPlacement(Cut + Column, 52)], result.Placements);

        var (before, after) = (result.Windows[1].Waveform!, result.Windows[2].Waveform!);
        var output = result.Waveform;
        for (var j = 0; j < Fade; j++)
        {
            // Shot 1 (window 1 from sample 2 columns on) fades out as shot 2 fades in.
            var weight = (j + 0.5f) / Fade;
            var expected = (before[(int)Cut + j - (2 * Column)] * (1 - weight)) + (after[j] * weight);
            Assert.Equal(expected, output[Cut + j], 1e-6f);
        }

        // After the fade, shot 2 alone until window 3's seam (its join at 52 columns, less the seam's fade).
        var seam = (int)(Cut + Column + (52 * Column) - Fade);
        Assert.Equal(after.AsSpan(Fade, seam - (int)Cut - Fade).ToArray(), output.AsSpan((int)Cut + Fade, seam - (int)Cut - Fade).ToArray());
        // Before the cut, shot 1 alone.
        Assert.Equal(before.AsSpan((int)Cut - (2 * Column) - 1000, 1000).ToArray(), output.AsSpan((int)Cut - 1000, 1000).ToArray());
    }

    [Fact]
    public async Task The_soundtrack_is_exactly_the_length_asked_and_fades_out()
    {
        var result = await _generator.GenerateSoundtrackAsync(TwoShots(), new EchoRequest { Seed = 40, Steps = 3, LengthSamples = 2 * Cut });

        Assert.Equal(2 * Cut, result.Waveform.Length);
        // The soundtrack ends 20 s - (10 s + 1 column) into window 3, which sounds on past it.
        AssertEndsFadingOut(result.Waveform, result.Windows[3].Waveform!, (int)(Cut - Column));
    }

    [Fact]
    public async Task Without_a_length_the_soundtrack_ends_with_its_last_window()
    {
        var result = await _generator.GenerateSoundtrackAsync(TwoShots(), new EchoRequest { Seed = 40, Steps = 3 });

        Assert.Equal(Cut + Column + Window, result.Waveform.Length);
        Assert.Equal(result.Windows[3].Waveform![^500..], result.Waveform[^500..]);
    }

    [Fact]
    public async Task A_clip_shorter_than_a_window_is_cut_to_its_length_with_a_fade_out()
    {
        var whole = _generator.Generate([new EchoRequest { Image = TinyModel.Picture(2), Seed = 5, Steps = 3 }])[0].Waveform!;
        var cut = (await _generator.GenerateAsync([new EchoRequest { Image = TinyModel.Picture(2), Seed = 5, Steps = 3, LengthSamples = 66150 }]))[0].Waveform!;

        Assert.Equal(66150, cut.Length);
        Assert.Equal(whole.AsSpan(0, 66150 - 2205).ToArray(), cut.AsSpan(0, 66150 - 2205).ToArray());
        AssertEndsFadingOut(cut, whole, 66150);
    }

    [Fact]
    public async Task A_continuing_window_that_cannot_overlap_the_previous_one_is_refused()
    {
        SoundtrackWindow[] windows = [new(TinyModel.Picture(1), 0, true), new(TinyModel.Picture(1), Window, false)];

        var error = await Assert.ThrowsAsync<ArgumentException>(() => _generator.GenerateSoundtrackAsync(windows, new EchoRequest { Steps = 2 }));

        Assert.Contains("starts 217088 samples after it; a continuation starts 1 to 52 columns", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_first_windows_of_all_shots_run_as_one_batch_and_give_the_same_samples_as_one_window_at_a_time()
    {
        var template = new EchoRequest { Seed = 40, Steps = 3, LengthSamples = 2 * Cut };

        var oneAtATime = (await _generator.GenerateSoundtracksAsync([new SoundtrackRequest(TwoShots(), template)], maxBatchSize: 1))[0];
        var batched = (await _generator.GenerateSoundtracksAsync([new SoundtrackRequest(TwoShots(), template)], maxBatchSize: 8))[0];

        // Lockstep: window k of both shots in one batch (windows 0 and 2, then 1 and 3).
        Assert.All(oneAtATime.Windows, w => Assert.Equal(1, w.Timings.BatchSize));
        Assert.All(batched.Windows, w => Assert.Equal(2, w.Timings.BatchSize));
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(oneAtATime.Windows[i].AudioTokens, batched.Windows[i].AudioTokens);
            Assert.Equal(oneAtATime.Windows[i].Waveform, batched.Windows[i].Waveform);
            Assert.Equal(SoundtrackRequest.WindowSeed(40, i), batched.Windows[i].Provenance.Seed);
        }

        Assert.Equal(oneAtATime.Waveform, batched.Waveform);
    }

    [Fact]
    public async Task Soundtracks_of_different_jobs_batched_together_are_bit_identical_to_each_generated_alone()
    {
        var cuts = new SoundtrackRequest(TwoShots(), new EchoRequest { Seed = 40, Steps = 3, LengthSamples = 2 * Cut });
        SoundtrackWindow[] oneShot = [new(TinyModel.Picture(2), 0, true), new(TinyModel.Picture(3), 45 * Column, false), new(TinyModel.Picture(5), 90 * Column, false)];
        var continued = new SoundtrackRequest(oneShot, new EchoRequest { Seed = 7, Steps = 3 });
        var marked = new EchoGenerator(_model);

        var together = await marked.GenerateSoundtracksAsync([cuts, continued], maxBatchSize: 3);
        var alone = new[] { await marked.GenerateSoundtrackAsync(cuts.Windows, cuts.Template), await marked.GenerateSoundtrackAsync(continued.Windows, continued.Template) };

        // Three chains (two shots and one), three at a time: the first batch holds a window of each soundtrack.
        Assert.Equal(3, together[1].Windows[0].Timings.BatchSize);
        for (var s = 0; s < 2; s++)
        {
            Assert.Equal(alone[s].Waveform, together[s].Waveform);
            Assert.Equal(alone[s].Provenance, together[s].Provenance);
            Assert.Equal(alone[s].Placements, together[s].Placements);
        }

        Assert.NotEqual(together[0].Waveform[..1000], together[1].Waveform[..1000]);
    }

    [Theory]
    [InlineData(66150L)]
    [InlineData(null)]
    public async Task A_one_window_soundtrack_is_the_plain_generation_of_its_frame_bit_for_bit(long? length)
    {
        var marked = new EchoGenerator(_model);
        var request = new EchoRequest { Image = TinyModel.Picture(3), Seed = 11, Steps = 3, LengthSamples = length };

        var plain = marked.Generate([request])[0];
        var soundtrack = (await marked.GenerateSoundtracksAsync([new SoundtrackRequest([new(request.Image, 0, true)], request with { Image = null })], maxBatchSize: 4))[0];

        Assert.Equal(plain.Waveform, soundtrack.Waveform);
        Assert.Equal(plain.Provenance, soundtrack.Provenance);
        Assert.Equal(plain.Mel, Assert.Single(soundtrack.Windows).Mel);
    }

    [Fact]
    public void Window_seeds_of_consecutive_variation_seeds_never_coincide()
    {
        // Variations of a job use seed, seed + 1, ...: 8 variations of 100 windows draw 800 different noise streams.
        var seeds = Enumerable.Range(0, 8).SelectMany(v => Enumerable.Range(0, 100).Select(i => SoundtrackRequest.WindowSeed(1000 + v, i))).ToArray();

        Assert.Equal(seeds.Length, seeds.Distinct().Count());
        Assert.Equal(1003, SoundtrackRequest.WindowSeed(1003, 0));
    }

    [Fact]
    public async Task A_batch_size_below_one_or_a_soundtrack_without_windows_is_refused()
    {
        var template = new EchoRequest { Steps = 2 };

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _generator.GenerateSoundtracksAsync([new SoundtrackRequest(TwoShots(), template)], maxBatchSize: 0));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _generator.GenerateSoundtracksAsync([new SoundtrackRequest(TwoShots(), template), new SoundtrackRequest([], template)], maxBatchSize: 4));
    }

    /// <summary>Shot 1: two windows of picture 1 (the second 2 columns on); shot 2 at 10 s: two of picture 4.</summary>
    private static SoundtrackWindow[] TwoShots() =>
    [
        new(TinyModel.Picture(1), 0, true), new(TinyModel.Picture(1), 2 * Column, false),
        new(TinyModel.Picture(4), Cut, true), new(TinyModel.Picture(4), Cut + Column, false),
    ];

    /// <summary>The last 0.1 s is the source's, up to <paramref name="end"/>, times a linear ramp down to silence.</summary>
    private static void AssertEndsFadingOut(float[] output, float[] source, int end)
    {
        var fade = (int)Math.Round(SoundtrackEnds.FadeOutSeconds * 22050);
        Assert.Contains(source.AsSpan(end - fade, fade).ToArray(), s => Math.Abs(s) > 1e-4f);
        for (var i = 0; i < fade; i++)
        {
            var weight = (fade - i - 0.5f) / fade;
            Assert.Equal(source[end - fade + i] * weight, output[output.Length - fade + i], 1e-6f);
        }
    }
}
