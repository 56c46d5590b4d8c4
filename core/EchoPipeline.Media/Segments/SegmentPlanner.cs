namespace EchoPipeline.Media;

/// <summary>
/// Splits a video into overlapping audio windows, one frame per window at the window's middle.
/// </summary>
/// <remarks>
/// The engine makes long audio by continuation: each W-second window's first K token columns are conditioned on
/// the previous window's last K (outpainting), so window i starts at i*S with S = W*(53-K)/53 (K = 8: S = 8.359 s).
/// The planner uses the same stride, so the frame that guides window i is the one shown while its audio plays.
/// A video no longer than one window is one segment [0, d] with its frame at d/2. Otherwise there are
/// n = 1 + ceil((d - W) / S) windows; the last one ends at d, and its frame is at the middle of what it shows.
/// If the last window would add less than <c>minTailSeconds</c> beyond the previous window's end, it is dropped:
/// the previous segment's end moves to d while its frame stays put (the soundtrack ends with under
/// <c>minTailSeconds</c> of silence). Still images and unknown durations are one window with the frame at 0.
/// </remarks>
public static class SegmentPlanner
{
    /// <summary>Samples one generation yields: 848 mel frames x hop 256 (DESIGN §3).</summary>
    public const int WindowSamples = 217088;

    public const int SampleRate = 22050;

    /// <summary>Token columns of one audio window (5x53 grid) and of the continuation context (EchoGenerator.DefaultContextColumns).</summary>
    public const int AudioColumns = 53;

    public const int ContextColumns = 8;

    /// <summary>217088 / 22050 = 9.845 s.</summary>
    public const double WindowSeconds = (double)WindowSamples / SampleRate;

    /// <summary>Start-to-start distance of consecutive windows: 45 of 53 columns, 184320 / 22050 = 8.359 s.</summary>
    public const double StrideSeconds = (double)WindowSamples * (AudioColumns - ContextColumns) / AudioColumns / SampleRate;

    /// <summary>Shortest new material a last window must add to get its own segment and frame.</summary>
    public const double MinTailSeconds = 1.0;

    // Durations that are exact multiples up to rounding must not gain an empty window.
    private const double Epsilon = 1e-9;

    public static IReadOnlyList<Segment> Plan(MediaInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        return Plan(info.IsStillImage ? null : info.DurationSeconds);
    }

    public static IReadOnlyList<Segment> Plan(
        double? durationSeconds, double windowSeconds = WindowSeconds, double? strideSeconds = null, double minTailSeconds = MinTailSeconds)
    {
        var stride = strideSeconds ?? windowSeconds * (AudioColumns - ContextColumns) / AudioColumns;
        if (!(windowSeconds > 0) || !(stride > 0) || stride > windowSeconds || !(minTailSeconds >= 0) || minTailSeconds >= stride)
        {
            throw new ArgumentOutOfRangeException(nameof(windowSeconds), "Need 0 < stride <= window and 0 <= minTailSeconds < stride.");
        }

        if (durationSeconds is not { } duration || duration == 0)
        {
            return [new Segment(0, 0, windowSeconds, 0)];
        }

        if (!double.IsFinite(duration) || duration < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(durationSeconds), durationSeconds, "A duration is finite and not negative.");
        }

        if (duration <= windowSeconds + Epsilon)
        {
            return [new Segment(0, 0, duration, duration / 2)];
        }

        var count = 1 + (int)Math.Ceiling(((duration - windowSeconds) / stride) - Epsilon);
        var segments = new List<Segment>(count);
        for (var i = 0; i < count; i++)
        {
            var start = i * stride;
            var end = Math.Min(start + windowSeconds, duration);
            segments.Add(new Segment(i, start, end, (start + end) / 2));
        }

        var added = duration - segments[^2].EndSeconds;
        if (added < minTailSeconds)
        {
            segments.RemoveAt(segments.Count - 1);
            segments[^1] = segments[^1] with { EndSeconds = duration };
        }

        return segments;
    }
}
