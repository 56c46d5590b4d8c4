using EchoPipeline.Engine.Generation;
using EchoPipeline.Engine.Generation.Noise;
using EchoPipeline.Engine.Generation.Sampling;
using EchoPipeline.Engine.Generation.Unmasking;

namespace EchoPipeline.Engine.Tests.Generation.Unmasking;

public sealed class GuidedUnmaskerTests
{
    private readonly FakeTransformer _model = new();

    [Theory]
    [InlineData(Modality.Audio, 3f, 9.0, 6)]
    [InlineData(Modality.Audio, 1f, 4.5, 5)]
    [InlineData(Modality.Image, 2f, 9.0, 7)]
    [InlineData(Modality.Image, 1f, 0.0, 4)]
    public void Matches_the_plain_reference_loop(Modality target, float guidance, double temperature, int steps)
    {
        var guide = GuideTokens(target, 5);
        var known = Unknown(target);

        var engine = Single(Request(target, guide, known, steps, temperature, guidance, seed: 99));
        var reference = ReferenceUnmasking.Run(_model, target, guide, known, steps, temperature, guidance, new SeededUnmaskNoise(99));

        Assert.Equal(reference, engine.Tokens(target));
    }

    [Fact]
    public void Leaves_no_mask_and_follows_the_schedule()
    {
        var result = Single(Request(Modality.Audio, GuideTokens(Modality.Audio, 1), Unknown(Modality.Audio), 8, 9, 3f, seed: 5));

        Assert.All(result.AudioTokens, t => Assert.InRange(t, 0, _model.Audio.Codebook - 1));
        Assert.Equal(UnmaskSchedule.MaskedCounts(_model.Audio.Length, 8), result.AudioMaskedAfterStep);
    }

    [Fact]
    public void Known_tokens_never_change_and_only_unknown_ones_count_in_the_schedule()
    {
        long[] known = [3, -1, -1, 15, -1, 0, -1, -1, 7, -1, -1, 2];
        var result = Single(Request(Modality.Audio, GuideTokens(Modality.Audio, 2), known, 6, 9, 3f, seed: 6));

        for (var j = 0; j < known.Length; j++)
        {
            if (known[j] >= 0)
            {
                Assert.Equal(known[j], result.AudioTokens[j]);
            }
        }

        Assert.Equal(UnmaskSchedule.MaskedCounts(7, 6), result.AudioMaskedAfterStep);
    }

    [Fact]
    public void Guidance_runs_cond_and_uncond_as_one_batch_of_2B_rows_and_scale_one_runs_B_rows()
    {
        var guide = GuideTokens(Modality.Audio, 3);
        new GuidedUnmasker(_model).Run([Request(Modality.Audio, guide, Unknown(Modality.Audio), 4, 9, 3f, 1), Request(Modality.Audio, guide, Unknown(Modality.Audio), 4, 9, 3f, 2)]);
        Assert.Equal([4, 4, 4, 4], _model.RunRows);

        _model.RunRows.Clear();
        new GuidedUnmasker(_model).Run([Request(Modality.Audio, guide, Unknown(Modality.Audio), 4, 9, 1f, 1), Request(Modality.Audio, guide, Unknown(Modality.Audio), 4, 9, 1f, 2)]);
        Assert.Equal([2, 2, 2, 2], _model.RunRows);
    }

    [Fact]
    public void Scale_one_equals_the_unguided_path_and_differs_from_guided()
    {
        var guide = GuideTokens(Modality.Image, 4);
        var unguided = ReferenceUnmasking.Run(_model, Modality.Image, guide, Unknown(Modality.Image), 6, 9, 1f, new SeededUnmaskNoise(4));

        var one = Single(Request(Modality.Image, guide, Unknown(Modality.Image), 6, 9, 1f, 4));
        var three = Single(Request(Modality.Image, guide, Unknown(Modality.Image), 6, 9, 3f, 4));

        Assert.Equal(unguided, one.ImageTokens);
        Assert.NotEqual(one.ImageTokens, three.ImageTokens);
    }

    [Fact]
    public void Zero_temperature_ranks_by_probability_alone()
    {
        // Same uniforms (same samples), different Gumbel draws: only the confidence noise differs.
        var guide = GuideTokens(Modality.Audio, 8);
        var uniforms = Draws(6, _model.Audio.Length, seed: 1, gumbel: false);
        UnmaskResult Run(double temperature, int gumbelSeed) => Single(new UnmaskRequest(
            ModalityTokens.Generate(_model.Audio.Length), ModalityTokens.Guide(guide), 6, temperature, 1f,
            new ArrayNoise(Modality.Audio, uniforms, Draws(6, _model.Audio.Length, gumbelSeed, gumbel: true))));

        Assert.Equal(Run(0, 10).AudioTokens, Run(0, 20).AudioTokens);
        Assert.NotEqual(Run(9, 10).AudioTokens, Run(9, 20).AudioTokens); // the noise does matter when T > 0
    }

    [Fact]
    public void A_request_gets_the_same_tokens_alone_and_in_a_batch()
    {
        var mine = Request(Modality.Audio, GuideTokens(Modality.Audio, 1), Unknown(Modality.Audio), 6, 9, 3f, 42);
        var alone = Single(mine);

        var batch = new GuidedUnmasker(_model).Run([
            Request(Modality.Audio, GuideTokens(Modality.Audio, 2), Unknown(Modality.Audio), 6, 9, 1f, 7),
            Request(Modality.Audio, GuideTokens(Modality.Audio, 1), Unknown(Modality.Audio), 6, 9, 3f, 42),
            Request(Modality.Image, GuideTokens(Modality.Image, 3), Unknown(Modality.Image), 9, 2, 2f, 8),
        ]);

        Assert.Equal(alone.AudioTokens, batch[1].AudioTokens);
    }

    [Fact]
    public void A_batch_gets_the_same_tokens_sampled_on_one_thread_as_on_every_core()
    {
        UnmaskRequest[] Requests() =>
        [
            Request(Modality.Audio, GuideTokens(Modality.Audio, 2), Unknown(Modality.Audio), 6, 9, 3f, 7),
            Request(Modality.Image, GuideTokens(Modality.Image, 3), Unknown(Modality.Image), 9, 2, 2f, 8),
        ];

        var everyCore = new GuidedUnmasker(_model).Run(Requests());
        var oneThread = new GuidedUnmasker(_model, maxDegreeOfParallelism: 1).Run(Requests());

        Assert.Equal(everyCore.Select(r => r.AudioTokens), oneThread.Select(r => r.AudioTokens));
        Assert.Equal(everyCore.Select(r => r.ImageTokens), oneThread.Select(r => r.ImageTokens));
    }

    [Fact]
    public void Co_generation_unmasks_both_modalities_together()
    {
        var request = new UnmaskRequest(ModalityTokens.Generate(12), ModalityTokens.Generate(9), 5, 9, 3f, new SeededUnmaskNoise(1));

        var result = Single(request);

        Assert.All(result.AudioTokens, t => Assert.InRange(t, 0, 15));
        Assert.All(result.ImageTokens, t => Assert.InRange(t, 0, 7));
        Assert.Equal(UnmaskSchedule.MaskedCounts(12, 5), result.AudioMaskedAfterStep);
        Assert.Equal(UnmaskSchedule.MaskedCounts(9, 5), result.ImageMaskedAfterStep);
        Assert.Equal([1, 1, 1, 1, 1], _model.RunRows); // nothing to guide by, so no unconditional rows
    }

    [Fact]
    public void Cancellation_stops_between_and_inside_runs()
    {
        var slow = new FakeTransformer { RunDelay = TimeSpan.FromSeconds(5) };
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        var watch = System.Diagnostics.Stopwatch.StartNew();

        Assert.ThrowsAny<OperationCanceledException>(() => new GuidedUnmasker(slow).Run(
            [Request(Modality.Audio, GuideTokens(Modality.Audio, 1), Unknown(Modality.Audio), 30, 9, 3f, 1)], cancellation.Token));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
    }

    [Fact]
    public void Rejects_bad_requests_naming_the_request_and_field()
    {
        var unmasker = new GuidedUnmasker(_model);
        var good = Request(Modality.Audio, GuideTokens(Modality.Audio, 1), Unknown(Modality.Audio), 4, 9, 3f, 1);

        var shortGuide = Assert.Throws<ArgumentException>(() => unmasker.Run([good, good with { Image = ModalityTokens.Guide(new long[5]) }]));
        var badCode = Assert.Throws<ArgumentException>(() => unmasker.Run([good with { Image = ModalityTokens.Guide(new long[9].Select(_ => 8L).ToArray()) }]));
        var noSteps = Assert.Throws<ArgumentException>(() => unmasker.Run([good with { Steps = 0 }]));

        Assert.Contains("Request 1: Image tokens has 5 entries", shortGuide.Message, StringComparison.Ordinal);
        Assert.Contains("Image Guide token at position 0 is 8", badCode.Message, StringComparison.Ordinal);
        Assert.Contains("Steps is 0", noSteps.Message, StringComparison.Ordinal);
    }

    private UnmaskResult Single(UnmaskRequest request) => new GuidedUnmasker(_model).Run([request])[0];

    private long[] GuideTokens(Modality target, int seed)
    {
        var grid = target == Modality.Audio ? _model.Image : _model.Audio;
        var random = new Xoshiro256StarStar((ulong)seed);
        return Enumerable.Range(0, grid.Length).Select(_ => (long)(random.NextUInt64() % (ulong)grid.Codebook)).ToArray();
    }

    private long[] Unknown(Modality target) =>
        Enumerable.Repeat(-1L, target == Modality.Audio ? _model.Audio.Length : _model.Image.Length).ToArray();

    private static UnmaskRequest Request(Modality target, long[] guide, long[] known, int steps, double temperature, float guidance, long seed) =>
        target == Modality.Audio
            ? new UnmaskRequest(ModalityTokens.Complete(known), ModalityTokens.Guide(guide), steps, temperature, guidance, new SeededUnmaskNoise(seed))
            : new UnmaskRequest(ModalityTokens.Guide(guide), ModalityTokens.Complete(known), steps, temperature, guidance, new SeededUnmaskNoise(seed));

    private static double[][] Draws(int steps, int length, int seed, bool gumbel)
    {
        var random = new Xoshiro256StarStar((ulong)seed);
        return Enumerable.Range(0, steps)
            .Select(_ => Enumerable.Range(0, length).Select(_ => gumbel ? ConfidenceRanker.Gumbel(random.NextOpenDouble()) : random.NextDouble()).ToArray())
            .ToArray();
    }
}
