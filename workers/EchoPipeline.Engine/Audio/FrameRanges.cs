namespace EchoPipeline.Engine.Audio;

/// <summary>
/// Runs work over [0, count) in fixed contiguous ranges, several at once. The ranges do not depend on the thread
/// count and each item's result depends only on that item, so the output is the same bit for bit on any machine.
/// </summary>
internal static class FrameRanges
{
    // 16 frames of 1024 samples: enough work per range to repay scheduling, enough ranges to balance two to 16 cores.
    private const int RangeLength = 16;

    /// <summary>body(first, end) for each range; inline when there is one range or one thread.</summary>
    public static void For(int count, int maxDegreeOfParallelism, Action<int, int> body)
    {
        var ranges = (count + RangeLength - 1) / RangeLength;
        if (ranges <= 1 || maxDegreeOfParallelism == 1)
        {
            body(0, count);
            return;
        }

        // The thread pool, not the caller's scheduler: under a limited one (a test runner's) the ranges would queue behind it.
        var options = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism, TaskScheduler = TaskScheduler.Default };
        Parallel.For(0, ranges, options, r =>
            body(r * RangeLength, Math.Min(count, (r + 1) * RangeLength)));
    }
}
