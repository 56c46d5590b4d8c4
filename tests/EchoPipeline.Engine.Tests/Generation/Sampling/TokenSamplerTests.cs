using EchoPipeline.Engine.Generation.Sampling;

namespace EchoPipeline.Engine.Tests.Generation.Sampling;

public sealed class TokenSamplerTests
{
    [Fact]
    public void Softmax_matches_the_definition_in_float64()
    {
        float[] logits = [1f, 2f, 3f];
        var probabilities = new double[3];

        TokenSampler.Softmax(logits, probabilities);

        // e^1, e^2, e^3 over their sum (1 + e + e^2 after dividing by e^1).
        var sum = 1 + Math.E + (Math.E * Math.E);
        Assert.Equal(1 / sum, probabilities[0], 1e-15);
        Assert.Equal(Math.E / sum, probabilities[1], 1e-15);
        Assert.Equal(Math.E * Math.E / sum, probabilities[2], 1e-15);
    }

    [Fact]
    public void Softmax_does_not_overflow_on_large_logits()
    {
        float[] logits = [1000f, 1000f, -1000f];
        var probabilities = new double[3];

        TokenSampler.Softmax(logits, probabilities);

        Assert.Equal([0.5, 0.5, 0.0], probabilities);
    }

    [Theory]
    [InlineData(0.0, 0)]
    [InlineData(0.0999, 0)]
    [InlineData(0.1, 1)] // cumsum must exceed U strictly
    [InlineData(0.5, 1)]
    [InlineData(0.7, 2)]
    [InlineData(0.9999, 3)]
    public void Inverse_cdf_picks_the_first_code_whose_cumulative_exceeds_u(double uniform, int expected)
    {
        double[] probabilities = [0.1, 0.5, 0.25, 0.15];

        Assert.Equal(expected, TokenSampler.SampleInverseCdf(probabilities, uniform));
    }

    [Fact]
    public void Inverse_cdf_clamps_to_the_last_code_when_rounding_leaves_the_total_below_u()
    {
        double[] probabilities = [0.3, 0.3, 0.3];

        Assert.Equal(2, TokenSampler.SampleInverseCdf(probabilities, 0.95));
    }

    [Fact]
    public void Inverse_cdf_skips_codes_of_zero_probability()
    {
        double[] probabilities = [0, 0, 1, 0];

        Assert.Equal(2, TokenSampler.SampleInverseCdf(probabilities, 0));
    }
}
