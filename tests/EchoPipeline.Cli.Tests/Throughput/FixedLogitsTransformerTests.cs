using EchoPipeline.Cli.Throughput;

namespace EchoPipeline.Cli.Tests.Throughput;

public sealed class FixedLogitsTransformerTests
{
    [Fact]
    public void Logits_are_the_same_numbers_on_every_call_and_spread_over_minus_six_to_six()
    {
        var first = FixedLogitsTransformer.Logits(100_000, 1);

        Assert.Equal(first, FixedLogitsTransformer.Logits(100_000, 1));
        Assert.NotEqual(first, FixedLogitsTransformer.Logits(100_000, 2));
        Assert.All(first, x => Assert.InRange(x, -6f, 6f));
        Assert.True(first.Min() < -5.9f && first.Max() > 5.9f, $"min {first.Min()}, max {first.Max()}");
    }

    [Fact]
    public void A_batch_has_the_paper_grids_and_rows_of_logits_and_runs_without_changing_them()
    {
        var transformer = FixedLogitsTransformer.PaperSize();
        using var batch = transformer.CreateBatch(3);
        var before = batch.AudioLogits.ToArray();

        batch.Run(CancellationToken.None);

        Assert.Equal(3 * 265 * 1024, batch.AudioLogits.Length);
        Assert.Equal(3 * 256 * 1024, batch.ImageLogits.Length);
        Assert.Equal(before, batch.AudioLogits.ToArray());
        Assert.Throws<OperationCanceledException>(() => batch.Run(new CancellationToken(canceled: true)));
    }
}
