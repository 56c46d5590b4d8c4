using EchoPipeline.Engine.Generation.Sampling;

namespace EchoPipeline.Engine.Tests.Generation.Sampling;

public sealed class ClassifierFreeGuidanceTests
{
    private static readonly float[] Conditional = [2f, -1f, 0.5f, 10f, 0f, 1f, -3f, 4f, 0.25f];
    private static readonly float[] Unconditional = [1f, 1f, 0.5f, -2f, 0f, 3f, -1f, 4f, 0.75f];
    private static readonly double[] ConditionalProbabilities = [0.5, 0.3, 0.2];
    private static readonly double[] UnconditionalProbabilities = [0.2, 0.3, 0.5];

    [Fact]
    public void Scale_three_extrapolates_away_from_the_unconditional_logits()
    {
        var guided = new float[9];

        ClassifierFreeGuidance.Combine(Conditional, Unconditional, 3f, guided);

        // u + 3(c - u), by hand.
        Assert.Equal([4f, -5f, 0.5f, 34f, 0f, -3f, -7f, 4f, -0.75f], guided);
    }

    [Fact]
    public void Scale_one_is_the_conditional_and_scale_zero_the_unconditional()
    {
        var one = new float[9];
        var zero = new float[9];

        ClassifierFreeGuidance.Combine(Conditional, Unconditional, 1f, one);
        ClassifierFreeGuidance.Combine(Conditional, Unconditional, 0f, zero);

        Assert.Equal(Conditional, one);
        Assert.Equal(Unconditional, zero);
        Assert.False(ClassifierFreeGuidance.IsActive(1f));
        Assert.True(ClassifierFreeGuidance.IsActive(3f));
    }

    [Fact]
    public void Rounds_each_operation_in_float32_like_the_reference()
    {
        float c = 0.1f, u = 0.3f, s = 3f;
        var guided = new float[1];

        ClassifierFreeGuidance.Combine([c], [u], s, guided);

        var difference = c - u;
        var scaled = s * difference;
        Assert.Equal(u + scaled, guided[0]);
    }

    [Fact]
    public void In_probability_space_scale_three_mixes_linearly_clips_negative_mass_and_renormalizes()
    {
        var guided = new double[3];

        ClassifierFreeGuidance.CombineProbabilities(ConditionalProbabilities, UnconditionalProbabilities, 3f, guided);

        // 3c - 2u = [1.1, 0.3, -0.4] by hand; the last is clipped, the rest divided by 1.4.
        Assert.Equal([1.1 / 1.4, 0.3 / 1.4, 0], guided, (a, b) => Math.Abs(a - b) < 1e-15);
    }

    [Fact]
    public void In_probability_space_scale_one_is_the_conditional_and_scale_zero_the_unconditional()
    {
        var one = new double[3];
        var zero = new double[3];

        ClassifierFreeGuidance.CombineProbabilities(ConditionalProbabilities, UnconditionalProbabilities, 1f, one);
        ClassifierFreeGuidance.CombineProbabilities(ConditionalProbabilities, UnconditionalProbabilities, 0f, zero);

        Assert.Equal(ConditionalProbabilities, one);
        Assert.Equal(UnconditionalProbabilities, zero);
    }

    [Fact]
    public void In_probability_space_a_token_only_the_unconditional_model_likes_gets_no_mass_however_large_the_scale()
    {
        double[] conditional = [0.9, 0.1, 0];
        double[] unconditional = [0.1, 0.1, 0.8];
        var guided = new double[3];

        ClassifierFreeGuidance.CombineProbabilities(conditional, unconditional, 30f, guided);

        Assert.Equal(0, guided[2]);
        Assert.Equal(1, guided.Sum(), 12);
        Assert.True(guided[0] > conditional[0]);
    }

    [Fact]
    public void Rejects_mismatched_lengths()
    {
        var error = Assert.Throws<ArgumentException>(() => ClassifierFreeGuidance.Combine([1f, 2f], [1f], 3f, new float[2]));
        var inProbabilities = Assert.Throws<ArgumentException>(() => ClassifierFreeGuidance.CombineProbabilities([0.5, 0.5], [1.0], 3f, new double[2]));

        Assert.Contains("unconditional 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("unconditional 1", inProbabilities.Message, StringComparison.Ordinal);
    }
}
