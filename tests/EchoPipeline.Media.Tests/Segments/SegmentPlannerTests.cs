namespace EchoPipeline.Media.Tests.Segments;

/// <summary>Expected values are worked by hand from W = 217088 / 22050 = 9.845260770975057 s.</summary>
public sealed class SegmentPlannerTests
{
    private const double W = 9.845260770975057;
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
    public void A_25_second_video_is_two_full_windows_and_a_partial_one()
    {
        var plan = SegmentPlanner.Plan(25.0);

        Assert.Equal(3, plan.Count);
        AssertSegment((0, 0, W, 4.922630385487528), plan[0]);
        AssertSegment((1, W, 19.690521541950113, 14.767891156462585), plan[1]);
        // Tail 25 - 2W = 5.3095 s: its own segment, frame at (19.6905 + 25) / 2.
        AssertSegment((2, 19.690521541950113, 25.0, 22.345260770975056), plan[2]);
    }

    [Fact]
    public void A_tail_shorter_than_the_minimum_is_absorbed_by_the_previous_segment()
    {
        // 20 s = 2W + 0.3095 s; the last window keeps its frame but ends at 20.
        var plan = SegmentPlanner.Plan(20.0);

        Assert.Equal(2, plan.Count);
        AssertSegment((1, W, 20.0, 14.767891156462585), plan[1]);
    }

    [Fact]
    public void A_tail_of_exactly_the_minimum_gets_its_own_segment()
    {
        var plan = SegmentPlanner.Plan(2 * W + 1.0);

        Assert.Equal(3, plan.Count);
        AssertSegment((2, 2 * W, 2 * W + 1.0, 2 * W + 0.5), plan[2]);
    }

    [Fact]
    public void An_exact_multiple_of_the_window_has_no_tail()
    {
        var plan = SegmentPlanner.Plan(3 * W);

        Assert.Equal(3, plan.Count);
        AssertSegment((2, 2 * W, 3 * W, 2.5 * W), plan[2]);
    }

    [Fact]
    public void Segments_tile_the_video_without_gaps()
    {
        var plan = SegmentPlanner.Plan(600.0);

        Assert.Equal(61, plan.Count); // 600 / W = 60.94: 60 full windows and a 9.28 s tail
        Assert.Equal(0, plan[0].StartSeconds);
        Assert.Equal(600.0, plan[^1].EndSeconds);
        for (var i = 1; i < plan.Count; i++)
        {
            Assert.Equal(plan[i - 1].EndSeconds, plan[i].StartSeconds);
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
        var plan = SegmentPlanner.Plan(25.0, windowSeconds: 10.0, minTailSeconds: 2.0);

        Assert.Equal([5.0, 15.0, 22.5], plan.Select(s => s.FrameSeconds));
    }

    private static void AssertSegment((int Index, double Start, double End, double Frame) expected, Segment actual)
    {
        Assert.Equal(expected.Index, actual.Index);
        Assert.Equal(expected.Start, actual.StartSeconds, Digits);
        Assert.Equal(expected.End, actual.EndSeconds, Digits);
        Assert.Equal(expected.Frame, actual.FrameSeconds, Digits);
    }
}
