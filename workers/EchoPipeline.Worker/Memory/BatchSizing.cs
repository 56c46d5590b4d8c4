namespace EchoPipeline.Worker.Memory;

/// <summary>The batch size that fits a device's free memory (docs/performance.md, "Batch size from memory").</summary>
public static class BatchSizing
{
    /// <summary>The share of free memory the batch may fill: the rest is left to the runtime's arenas and fragmentation.</summary>
    public const double UsableShare = 0.8;

    /// <summary>
    /// floor((free x <see cref="UsableShare"/> - weights) / per-job bytes), held to 1..<paramref name="cap"/>: at least one
    /// job always runs (a worker that cannot fit one fails on its first batch, which says more than refusing to start).
    /// </summary>
    /// <param name="freeBytes">Free memory of the device the sessions run on, for this worker.</param>
    /// <param name="weightBytes">What the loaded sessions still take out of <paramref name="freeBytes"/> (0 when it was measured after loading).</param>
    public static int For(JobMemory job, long freeBytes, long weightBytes, int cap)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentOutOfRangeException.ThrowIfLessThan(cap, 1);
        var usable = (freeBytes * UsableShare) - weightBytes;
        return usable <= 0 ? 1 : (int)Math.Clamp(Math.Floor(usable / job.Bytes), 1, cap);
    }
}
