using EchoPipeline.Engine.Generation.Sampling;

namespace EchoPipeline.Engine.Tests.Generation.Sampling;

public sealed class UnmaskScheduleTests
{
    [Fact]
    public void Paper_defaults_reveal_tokens_along_the_cosine_curve()
    {
        // Hand computation, U0 = 265, N = 30, revealed(t) = masked(t-1) - masked(t):
        //   t=0:  floor(265 cos 3deg)  = floor(264.64) = 264 -> 1 revealed
        //   t=1:  floor(265 cos 6deg)  = floor(263.55) = 263 -> 1
        //   t=2:  floor(265 cos 9deg)  = floor(261.74) = 261 -> 2
        //   t=4:  floor(265 cos 15deg) = floor(255.97) = 255, t=3 left 259 -> 4
        //   t=27: floor(265 cos 84deg) = floor(27.70)  = 27
        //   t=28: floor(265 cos 87deg) = floor(13.87)  = 13 -> 14 revealed; t=29 reveals the last 13.
        var masked = UnmaskSchedule.MaskedCounts(265, 30);
        var revealed = Revealed(265, masked);

        Assert.Equal([1, 1, 2, 2, 4], revealed[..5]);
        Assert.Equal(27, masked[27]);
        Assert.Equal(13, masked[28]);
        Assert.Equal([14, 13], revealed[28..]);
        Assert.Equal(0, masked[^1]);
    }

    [Fact]
    public void Matches_the_formula_for_every_step()
    {
        var masked = UnmaskSchedule.MaskedCounts(265, 30);
        var expected = new int[30];
        var now = 265;
        for (var t = 0; t < 30; t++)
        {
            var cosine = (int)(265 * Math.Cos(Math.PI / 2 * (t + 1) / 30));
            now = expected[t] = t == 29 ? 0 : Math.Clamp(cosine, 1, Math.Max(1, now - 1));
        }

        Assert.Equal(expected, masked);
        Assert.Equal(265, Revealed(265, masked).Sum());
    }

    [Fact]
    public void Always_reveals_at_least_one_token_until_the_last_step()
    {
        // With more steps than tokens, the cosine would stall; the clamp forces one reveal per step.
        var masked = UnmaskSchedule.MaskedCounts(5, 12);

        Assert.Equal([4, 3, 2, 1, 1, 1, 1, 1, 1, 1, 1, 0], masked);
    }

    [Fact]
    public void Nothing_unknown_means_nothing_masked()
    {
        Assert.All(UnmaskSchedule.MaskedCounts(0, 8), count => Assert.Equal(0, count));
    }

    [Fact]
    public void One_step_reveals_everything()
    {
        Assert.Equal([0], UnmaskSchedule.MaskedCounts(256, 1));
    }

    private static int[] Revealed(int unknown, int[] masked) =>
        masked.Select((m, t) => (t == 0 ? unknown : masked[t - 1]) - m).ToArray();
}
