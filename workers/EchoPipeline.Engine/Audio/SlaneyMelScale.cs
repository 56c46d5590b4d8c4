namespace EchoPipeline.Engine.Audio;

/// <summary>
/// Slaney's mel scale (Auditory Toolbox; librosa with htk=False): linear below 1 kHz, mel = f / (200/3), so
/// 1000 Hz is 15 mel; logarithmic above, 27 mel per factor 6.4 in frequency.
/// </summary>
public static class SlaneyMelScale
{
    private const double HzPerMel = 200.0 / 3.0;
    private const double BreakHz = 1000.0;
    private const double BreakMel = BreakHz / HzPerMel;
    private static readonly double LogStep = Math.Log(6.4) / 27.0;

    public static double HzToMel(double hz) =>
        hz < BreakHz ? hz / HzPerMel : BreakMel + (Math.Log(hz / BreakHz) / LogStep);

    public static double MelToHz(double mel) =>
        mel < BreakMel ? mel * HzPerMel : BreakHz * Math.Exp(LogStep * (mel - BreakMel));

    /// <summary>count frequencies equally spaced on the mel scale from fMin to fMax inclusive.</summary>
    public static double[] Frequencies(int count, double fMin, double fMax)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 2);
        double low = HzToMel(fMin), high = HzToMel(fMax);
        var hz = new double[count];
        for (var i = 0; i < count; i++)
        {
            hz[i] = MelToHz(low + ((high - low) * i / (count - 1)));
        }

        return hz;
    }
}
