namespace EchoPipeline.Media;

/// <summary>
/// Splits a video into audio windows, one frame per window at the window's middle.
/// </summary>
/// <remarks>
/// Rule: windows of <c>W</c> seconds start at 0, W, 2W, ... A video no longer than one window is one
/// segment [0, d] with its frame at d/2. The last, partial window becomes its own segment [kW, d]
/// with its frame at the middle of what remains, unless it is shorter than <c>minTailSeconds</c>:
/// then it is absorbed by the previous segment, whose end moves to d while its frame stays at its
/// window's middle (the generated audio is W long, so the stitched soundtrack ends with under
/// <c>minTailSeconds</c> of silence). Still images and unknown durations are one window, frame at 0.
/// </remarks>
public static class SegmentPlanner
{
    /// <summary>Samples one generation yields: 848 mel frames x hop 256 (DESIGN §3).</summary>
    public const int WindowSamples = 217088;

    public const int SampleRate = 22050;

    /// <summary>217088 / 22050 = 9.845 s.</summary>
    public const double WindowSeconds = (double)WindowSamples / SampleRate;

    /// <summary>Shortest partial last window that gets its own segment and frame.</summary>
    public const double MinTailSeconds = 1.0;

    public static IReadOnlyList<Segment> Plan(MediaInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        return Plan(info.IsStillImage ? null : info.DurationSeconds);
    }

    public static IReadOnlyList<Segment> Plan(double? durationSeconds, double windowSeconds = WindowSeconds, double minTailSeconds = MinTailSeconds)
    {
        if (!(windowSeconds > 0) || !(minTailSeconds >= 0) || minTailSeconds >= windowSeconds)
        {
            throw new ArgumentOutOfRangeException(nameof(windowSeconds), "Need 0 <= minTailSeconds < windowSeconds.");
        }

        if (durationSeconds is not { } duration || duration == 0)
        {
            return [new Segment(0, 0, windowSeconds, 0)];
        }

        if (!double.IsFinite(duration) || duration < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(durationSeconds), durationSeconds, "A duration is finite and not negative.");
        }

        if (duration <= windowSeconds)
        {
            return [new Segment(0, 0, duration, duration / 2)];
        }

        var fullWindows = (int)Math.Floor(duration / windowSeconds);
        var tail = duration - (fullWindows * windowSeconds);
        var segments = new List<Segment>(fullWindows + 1);
        for (var i = 0; i < fullWindows; i++)
        {
            // Each boundary computed one way (k * W), so neighbours share it exactly.
            segments.Add(new Segment(i, i * windowSeconds, (i + 1) * windowSeconds, (i + 0.5) * windowSeconds));
        }

        if (tail >= minTailSeconds)
        {
            var start = fullWindows * windowSeconds;
            segments.Add(new Segment(fullWindows, start, duration, (start + duration) / 2));
        }
        else
        {
            segments[^1] = segments[^1] with { EndSeconds = duration };
        }

        return segments;
    }
}
