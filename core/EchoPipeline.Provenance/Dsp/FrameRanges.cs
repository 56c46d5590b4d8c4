namespace EchoPipeline.Provenance.Dsp;

/// <summary>
/// Runs work over [0, count) in fixed contiguous ranges, several at once. The ranges do not depend on the thread
/// count and each item's result depends only on that item, so the output is the same bit for bit on any machine.
/// Shared by the engine's Griffin-Lim and the watermark's frames.
/// </summary>
public static class FrameRanges
{
    // 16 frames of 1024 samples: enough work per range to repay scheduling, enough ranges to balance two to 16 cores.
    private const int RangeLength = 16;

    /// <summary>body(first, end) for each range; inline when there is one range or one thread.</summary>
    public static void For(int count, int maxDegreeOfParallelism, Action<int, int> body) => For(count, maxDegreeOfParallelism, body, passes: 1);

    /// <summary>
    /// <see cref="For"/>, with the even-numbered ranges run first and the odd ones after them, so no two ranges that run
    /// at once are neighbours: for work whose items also add into the next or previous item's output (overlap-add,
    /// where each output then gets the same terms as in one pass, in an order that does not change a sum of two).
    /// </summary>
    public static void ForAlternating(int count, int maxDegreeOfParallelism, Action<int, int> body) => For(count, maxDegreeOfParallelism, body, passes: 2);

    private static void For(int count, int maxDegreeOfParallelism, Action<int, int> body, int passes)
    {
        var ranges = (count + RangeLength - 1) / RangeLength;
        if (ranges <= 1 || maxDegreeOfParallelism == 1)
        {
            body(0, count);
            return;
        }

        // The thread pool, not the caller's scheduler: under a limited one (a test runner's) the ranges would queue behind it.
        var options = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism, TaskScheduler = TaskScheduler.Default };
        for (var pass = 0; pass < passes; pass++)
        {
            var first = pass;
            Parallel.For(0, (ranges - first + passes - 1) / passes, options, i =>
            {
                var r = (i * passes) + first;
                body(r * RangeLength, Math.Min(count, (r + 1) * RangeLength));
            });
        }
    }
}
