namespace EchoPipeline.Media;

/// <summary>
/// Splits a video into shots at its cuts and each shot into overlapping audio windows, one frame per window.
/// </summary>
/// <remarks>
/// The engine makes long audio by continuation: a window's first K token columns are fixed to the previous window's
/// last K (outpainting), so within a shot consecutive windows start a whole number of 4096-sample columns apart, at
/// most 45 of the 53 (K >= 8). At a cut the next window starts afresh, so the previous scene's sound does not carry
/// into the new one. A shot of n columns' worth of sound (its length, plus the crossfade at its end when another shot
/// follows) is one window if n &lt;= 53, else 1 + ceil((n - 53) / 45) windows spread evenly, the last ending where the
/// shot's sound must end. Each segment spans what its window plays inside the shot, and its frame is that span's middle.
/// Cuts closer than <see cref="MinShotSeconds"/> to the start, the end or the previous cut are ignored (a flash is no
/// scene). Still images and unknown durations are one window with the frame at 0.
/// </remarks>
public static class SegmentPlanner
{
    /// <summary>Samples one generation yields: 848 mel frames x hop 256 (DESIGN §3).</summary>
    public const int WindowSamples = 217088;

    public const int SampleRate = 22050;

    /// <summary>Token columns of one audio window (5x53 grid) and the least continuation context (EchoGenerator.DefaultContextColumns).</summary>
    public const int AudioColumns = 53;

    public const int ContextColumns = 8;

    /// <summary>Samples per token column: 217088 / 53 = 4096.</summary>
    public const int ColumnSamples = WindowSamples / AudioColumns;

    /// <summary>217088 / 22050 = 9.845 s.</summary>
    public const double WindowSeconds = (double)WindowSamples / SampleRate;

    /// <summary>The longest start-to-start distance of consecutive windows in a shot: 45 of 53 columns, 184320 / 22050 = 8.359 s.</summary>
    public const double StrideSeconds = (double)ColumnSamples * (AudioColumns - ContextColumns) / SampleRate;

    /// <summary>How long the sounds of two shots overlap after a cut (EchoGenerator.CrossfadeSeconds): a shot's windows reach that far past its end.</summary>
    public const double CutCrossfadeSeconds = 0.05;

    /// <summary>Shortest shot: a cut closer than this to the previous one (or to either end) starts no new window.</summary>
    public const double MinShotSeconds = 1.0;

    private const double ColumnSeconds = (double)ColumnSamples / SampleRate;

    // Durations that are exact multiples up to rounding must not gain an empty column.
    private const double Epsilon = 1e-9;

    public static IReadOnlyList<Segment> Plan(MediaInfo info, IReadOnlyList<double>? cuts = null)
    {
        ArgumentNullException.ThrowIfNull(info);
        return Plan(info.IsStillImage ? null : info.DurationSeconds, cuts);
    }

    /// <summary>The segments of a video of <paramref name="durationSeconds"/> with cuts (shot starts) at <paramref name="cuts"/> seconds.</summary>
    public static IReadOnlyList<Segment> Plan(double? durationSeconds, IReadOnlyList<double>? cuts = null)
    {
        if (durationSeconds is not { } duration || duration == 0)
        {
            return [new Segment(0, 0, WindowSeconds, 0)];
        }

        if (!double.IsFinite(duration) || duration < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(durationSeconds), durationSeconds, "A duration is finite and not negative.");
        }

        var starts = ShotStarts(duration, cuts ?? []);
        var segments = new List<Segment>();
        for (var s = 0; s < starts.Count; s++)
        {
            var (start, end) = (starts[s], s + 1 < starts.Count ? starts[s + 1] : duration);
            var soundEnd = end - start + (s + 1 < starts.Count ? CutCrossfadeSeconds : 0);
            var columns = Math.Max(1, (int)Math.Ceiling((soundEnd / ColumnSeconds) - Epsilon));
            var windows = columns <= AudioColumns ? 1 : 1 + (int)Math.Ceiling((columns - AudioColumns) / (double)(AudioColumns - ContextColumns));
            for (var w = 0; w < windows; w++)
            {
                // Evenly spread whole-column starts: consecutive ones differ by at most ceil((columns - 53) / (n - 1)) <= 45.
                var column = windows == 1 ? 0 : (long)w * (columns - AudioColumns) / (windows - 1);
                var from = start + (column * ColumnSeconds);
                var to = w == windows - 1 ? end : Math.Min(from + WindowSeconds, end);
                segments.Add(new Segment(segments.Count, from, to, (from + to) / 2, StartsShot: w == 0));
            }
        }

        return segments;
    }

    /// <summary>0 and every usable cut, ascending: inside the video and at least <see cref="MinShotSeconds"/> from its neighbours.</summary>
    private static List<double> ShotStarts(double duration, IReadOnlyList<double> cuts)
    {
        var starts = new List<double> { 0 };
        foreach (var cut in cuts.Where(double.IsFinite).Order())
        {
            if (cut - starts[^1] >= MinShotSeconds && duration - cut >= MinShotSeconds)
            {
                starts.Add(cut);
            }
        }

        return starts;
    }
}
