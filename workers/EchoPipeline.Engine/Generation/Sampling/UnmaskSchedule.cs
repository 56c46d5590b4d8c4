namespace EchoPipeline.Engine.Generation.Sampling;

/// <summary>The MaskGIT/MAGE cosine schedule: how many target positions stay masked after each step.</summary>
public static class UnmaskSchedule
{
    /// <summary>
    /// n_mask after step t = floor(U0 * cos(pi/2 * (t+1)/N)), clamped to [1, masked_now - 1], and 0 after the last step.
    /// The clamp guarantees progress of at least one token per step while never finishing early.
    /// </summary>
    public static int MaskedAfterStep(int unknownAtStart, int maskedNow, int step, int steps)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(unknownAtStart);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(steps);
        if (step >= steps - 1 || maskedNow == 0)
        {
            return 0;
        }

        var ratio = (step + 1) / (double)steps;
        var cosine = (int)Math.Floor(unknownAtStart * Math.Cos(Math.PI / 2 * ratio));
        return Math.Max(1, Math.Min(cosine, maskedNow - 1));
    }

    /// <summary>The masked count after every step, for <paramref name="unknownAtStart"/> masked positions and N steps.</summary>
    public static int[] MaskedCounts(int unknownAtStart, int steps)
    {
        var counts = new int[steps];
        var masked = unknownAtStart;
        for (var t = 0; t < steps; t++)
        {
            masked = MaskedAfterStep(unknownAtStart, masked, t, steps);
            counts[t] = masked;
        }

        return counts;
    }
}
