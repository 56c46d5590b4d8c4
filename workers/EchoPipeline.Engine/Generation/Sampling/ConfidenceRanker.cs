namespace EchoPipeline.Engine.Generation.Sampling;

/// <summary>Gumbel-perturbed confidence and the choice of which positions to re-mask.</summary>
public static class ConfidenceRanker
{
    /// <summary>log p + T * (1 - ratio) * G: the noise fades out as the schedule progresses; T = 0 ranks by log p alone.</summary>
    public static double Confidence(double probability, double temperature, double ratio, double gumbel) =>
        Math.Log(probability) + (temperature * (1 - ratio) * gumbel);

    /// <summary>A Gumbel(0,1) draw from a uniform in the open interval (0, 1).</summary>
    public static double Gumbel(double uniform) => -Math.Log(-Math.Log(uniform));

    /// <summary>
    /// Writes the indices of the <paramref name="count"/> lowest confidences into <paramref name="lowest"/>,
    /// ordered by confidence then index (ties go to the lower index, as a stable sort would).
    /// <paramref name="scratch"/> needs one entry per confidence.
    /// </summary>
    public static void SelectLowest(ReadOnlySpan<double> confidence, int count, Span<(double Confidence, int Index)> scratch, Span<int> lowest)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, confidence.Length);
        var ranked = scratch[..confidence.Length];
        for (var i = 0; i < ranked.Length; i++)
        {
            ranked[i] = (confidence[i], i);
        }

        // A total order (index breaks ties), so the unstable sort gives the stable result.
        ranked.Sort(default(ByConfidenceThenIndex));
        for (var i = 0; i < count; i++)
        {
            lowest[i] = ranked[i].Index;
        }
    }

    private readonly struct ByConfidenceThenIndex : IComparer<(double Confidence, int Index)>
    {
        public int Compare((double Confidence, int Index) x, (double Confidence, int Index) y)
        {
            var byValue = x.Confidence.CompareTo(y.Confidence);
            return byValue != 0 ? byValue : x.Index.CompareTo(y.Index);
        }
    }
}
