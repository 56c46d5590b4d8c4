using EchoPipeline.Engine.Generation.Sampling;

namespace EchoPipeline.Engine.Tests.Generation.Sampling;

public sealed class ConfidenceRankerTests
{
    [Fact]
    public void Confidence_is_log_p_plus_fading_gumbel_noise()
    {
        // log(0.5) + 9 * (1 - 0.25) * 0.8 = -0.693147... + 5.4
        Assert.Equal(Math.Log(0.5) + 5.4, ConfidenceRanker.Confidence(0.5, 9, 0.25, 0.8), 1e-12);
        Assert.Equal(Math.Log(0.5), ConfidenceRanker.Confidence(0.5, 0, 0.25, 123.0));
        Assert.Equal(Math.Log(0.5), ConfidenceRanker.Confidence(0.5, 9, 1.0, 0.8));
    }

    [Fact]
    public void Gumbel_is_minus_log_minus_log_v()
    {
        // V = e^-1 gives -log(1) = 0; V = e^-e gives -log(e) = -1.
        Assert.Equal(0, ConfidenceRanker.Gumbel(Math.Exp(-1)), 1e-15);
        Assert.Equal(-1, ConfidenceRanker.Gumbel(Math.Exp(-Math.E)), 1e-12);
    }

    [Fact]
    public void Selects_the_lowest_confidences()
    {
        double[] confidence = [0.5, -2, double.PositiveInfinity, -1, 3, -5];
        var lowest = new int[3];

        ConfidenceRanker.SelectLowest(confidence, 3, new (double, int)[6], lowest);

        Assert.Equal([5, 1, 3], lowest);
    }

    [Fact]
    public void Ties_go_to_the_lower_index()
    {
        double[] confidence = [1, 0, 0, 1, 0, double.NegativeInfinity];
        var lowest = new int[4];

        ConfidenceRanker.SelectLowest(confidence, 4, new (double, int)[6], lowest);

        Assert.Equal([5, 1, 2, 4], lowest);
    }

    [Fact]
    public void Selecting_none_writes_nothing()
    {
        var lowest = new[] { 7 };

        ConfidenceRanker.SelectLowest([1.0, 2.0], 0, new (double, int)[2], lowest);

        Assert.Equal([7], lowest);
    }
}
