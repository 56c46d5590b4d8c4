namespace EchoPipeline.Media.Tests.Segments;

/// <summary>Expected values are worked by hand from W = 217088 / 22050 s and S = 45 * 4096 / 22050 s.</summary>
public sealed class SegmentPlannerTests
{
    private const double W = 9.845260770975057;
    private const double S = 8.359183673469389;
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
    public void A_25_second_video_is_three_overlapping_windows()
    {
        var plan = SegmentPlanner.Plan(25.0);

        // n = 1 + ceil((25 - W) / S) = 1 + ceil(1.813) = 3; the last adds 25 - (S + W) = 6.80 s.
        Assert.Equal(3, plan.Count);
        AssertSegment((0, 0, W, 4.922630385487528), plan[0]);
        AssertSegment((1, S, 18.204444444444444, 13.281814058956916), plan[1]);
        AssertSegment((2, 16.718367346938777, 25.0, 20.85918367346939), plan[2]);
    }

    [Fact]
    public void A_last_window_adding_less_than_the_minimum_is_absorbed_by_the_previous_segment()
    {
        // S + W + 0.5: a third window would add 0.5 s; the second keeps its frame but ends at d.
        var duration = S + W + 0.5;
        var plan = SegmentPlanner.Plan(duration);

        Assert.Equal(2, plan.Count);
        AssertSegment((1, S, duration, 13.281814058956916), plan[1]);
    }

    [Fact]
    public void A_last_window_adding_exactly_the_minimum_gets_its_own_segment()
    {
        var plan = SegmentPlanner.Plan(S + W + 1.0);

        Assert.Equal(3, plan.Count);
        AssertSegment((2, 2 * S, 19.204444444444444, 17.961405895691612), plan[2]);
    }

    [Fact]
    public void A_duration_the_windows_fit_exactly_gains_no_empty_window()
    {
        var plan = SegmentPlanner.Plan((2 * S) + W);

        Assert.Equal(3, plan.Count);
        AssertSegment((2, 2 * S, 26.563628117913833, 21.640997732426307), plan[2]);
    }

    [Fact]
    public void Windows_advance_by_the_stride_and_cover_the_whole_video()
    {
        var plan = SegmentPlanner.Plan(600.0);

        Assert.Equal(72, plan.Count); // 1 + ceil((600 - W) / S) = 1 + ceil(70.6); the last adds 5.01 s
        Assert.Equal(0, plan[0].StartSeconds);
        Assert.Equal(600.0, plan[^1].EndSeconds);
        Assert.Equal(596.7510204081633, plan[^1].FrameSeconds, Digits);
        for (var i = 1; i < plan.Count; i++)
        {
            Assert.Equal(S, plan[i].StartSeconds - plan[i - 1].StartSeconds, Digits);
            Assert.True(plan[i].StartSeconds < plan[i - 1].EndSeconds, "consecutive windows overlap by the context columns");
            Assert.InRange(plan[i].FrameSeconds, plan[i].StartSeconds, plan[i].EndSeconds);
        }
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

    [Fact]
    public void Another_window_length_from_a_bundle_is_honoured()
    {
        var plan = SegmentPlanner.Plan(25.0, windowSeconds: 10.0, strideSeconds: 8.0, minTailSeconds: 2.0);

        // Windows [0,10], [8,18], [16,25]: the last adds 7 s.
        Assert.Equal([5.0, 13.0, 20.5], plan.Select(s => s.FrameSeconds));
    }

    private static void AssertSegment((int Index, double Start, double End, double Frame) expected, Segment actual)
    {
        Assert.Equal(expected.Index, actual.Index);
        Assert.Equal(expected.Start, actual.StartSeconds, Digits);
        Assert.Equal(expected.End, actual.EndSeconds, Digits);
        Assert.Equal(expected.Frame, actual.FrameSeconds, Digits);
    }
}
