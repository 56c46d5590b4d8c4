namespace EchoPipeline.Media.Tests.Segments;

/// <summary>Expected values are worked by hand from a column C = 4096 / 22050 s, W = 53 C and S = 45 C.</summary>
public sealed class SegmentPlannerTests
{
    private const double W = 9.845260770975057;
    private const double S = 8.359183673469389;
    private const double C = 4096 / 22050.0;
    private const int Digits = 9;

    [Fact]
    public void The_window_is_848_mel_frames_of_hop_256_at_22050_hz() =>
        Assert.Equal(W, SegmentPlanner.WindowSeconds, 12);

    [Theory]
    [InlineData(5.0, 2.5)]
    [InlineData(0.04, 0.02)]
    [InlineData(W, 4.922630385487528)]
    public void A_video_no_longer_than_one_window_is_one_segment_at_its_middle(double duration, double frame)
    {
        var segment = Assert.Single(SegmentPlanner.Plan(duration));

        AssertSegment((0, 0, duration, frame), segment);
    }

    [Fact]
    public void The_stride_is_45_of_53_token_columns_of_4096_samples()
    {
        Assert.Equal(S, SegmentPlanner.StrideSeconds, 12);
        Assert.Equal(45 * 4096 / 22050.0, SegmentPlanner.StrideSeconds, 12);
    }

    [Fact]
    public void A_25_second_video_is_three_windows_spread_evenly_over_whole_columns()
    {
        var plan = SegmentPlanner.Plan(25.0);

        // 25 s needs ceil(25 / C) = 135 columns: 1 + ceil((135 - 53) / 45) = 3 windows at columns 0, 41 and 82.
        Assert.Equal(3, plan.Count);
        AssertSegment((0, 0, W, W / 2), plan[0]);
        AssertSegment((1, 41 * C, (41 * C) + W, (41 * C) + (W / 2)), plan[1]);
        AssertSegment((2, 82 * C, 25.0, ((82 * C) + 25.0) / 2), plan[2]);
        Assert.Equal([true, false, false], plan.Select(s => s.StartsShot));
    }

    [Fact]
    public void Windows_continue_by_whole_columns_and_the_last_one_reaches_the_end()
    {
        var plan = SegmentPlanner.Plan(600.0);

        Assert.Equal(72, plan.Count); // ceil(600 / C) = 3230 columns: 1 + ceil((3230 - 53) / 45) = 1 + 71
        Assert.Equal(0, plan[0].StartSeconds);
        Assert.Equal(600.0, plan[^1].EndSeconds);
        Assert.True(plan[^1].StartSeconds + W >= 600.0, "the last window's sound lasts to the end");
        for (var i = 1; i < plan.Count; i++)
        {
            var columns = (plan[i].StartSeconds - plan[i - 1].StartSeconds) / C;
            Assert.Equal(Math.Round(columns), columns, 6);
            Assert.InRange(Math.Round(columns), 1, 45);
            Assert.False(plan[i].StartsShot);
            Assert.InRange(plan[i].FrameSeconds, plan[i].StartSeconds, plan[i].EndSeconds);
        }
    }

    [Fact]
    public void A_video_cut_in_three_starts_a_shot_at_each_cut()
    {
        var plan = SegmentPlanner.Plan(30.0, [10.0, 20.0]);

        // Shots of 10 s: 10.05 s of sound with the crossfade = ceil(54.1) = 55 columns = 2 windows at columns 0 and 2;
        // the last shot has no crossfade after it: ceil(10 / C) = 54 columns = windows at columns 0 and 1.
        Assert.Equal([0, 2 * C, 10, 10 + (2 * C), 20, 20 + C], plan.Select(s => s.StartSeconds), new Near(9));
        Assert.Equal([true, false, true, false, true, false], plan.Select(s => s.StartsShot));
        Assert.Equal([W, 10, 10 + W, 20, 20 + W, 30], plan.Select(s => s.EndSeconds), new Near(9));
        Assert.All(plan, s => Assert.InRange(s.FrameSeconds, Math.Floor(s.StartSeconds / 10) * 10, (Math.Floor(s.StartSeconds / 10) * 10) + 10));
        Assert.True(plan[1].StartSeconds + W >= 10 + SegmentPlanner.CutCrossfadeSeconds, "a shot's sound runs on through the crossfade after its cut");
    }

    [Fact]
    public void Cuts_too_close_to_another_cut_or_to_either_end_are_ignored()
    {
        var plan = SegmentPlanner.Plan(30.0, [29.5, 10.4, 0.5, 10.0, double.NaN]);

        Assert.Equal([0.0, 10.0], plan.Where(s => s.StartsShot).Select(s => s.StartSeconds));
    }

    [Fact]
    public void A_cut_in_a_video_shorter_than_a_window_still_starts_a_new_window()
    {
        var plan = SegmentPlanner.Plan(3.0, [1.5]);

        Assert.Equal(2, plan.Count);
        AssertSegment((0, 0, 1.5, 0.75), plan[0]);
        AssertSegment((1, 1.5, 3.0, 2.25), plan[1]);
        Assert.All(plan, s => Assert.True(s.StartsShot));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(0.0)]
    public void A_still_image_or_unknown_duration_is_one_window_with_the_frame_at_zero(double? duration)
    {
        var segment = Assert.Single(SegmentPlanner.Plan(duration));

        AssertSegment((0, 0, W, 0), segment);
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void A_nonsense_duration_is_refused(double duration) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => SegmentPlanner.Plan(duration));

    private static void AssertSegment((int Index, double Start, double End, double Frame) expected, Segment actual)
    {
        Assert.Equal(expected.Index, actual.Index);
        Assert.Equal(expected.Start, actual.StartSeconds, Digits);
        Assert.Equal(expected.End, actual.EndSeconds, Digits);
        Assert.Equal(expected.Frame, actual.FrameSeconds, Digits);
    }

    private sealed class Near(int digits) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Round(x - y, digits) == 0;

        public int GetHashCode(double obj) => 0;
    }
}
