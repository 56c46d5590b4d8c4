namespace EchoPipeline.Cli.Evaluation;

/// <summary>
/// The synthetic world's classes (tools/echo_tools/world.py): class k is the hue 45*k degrees and the sound band
/// 150*40^(k/8) .. 150*40^((k+1)/8) Hz, eight log-spaced bands from 150 to 6000 Hz.
/// </summary>
internal static class WorldBands
{
    public const int Count = 8;

    public static double LowHz(int band) => 150 * Math.Pow(40, band / (double)Count);

    public static double HighHz(int band) => LowHz(band + 1);

    /// <summary>The band holding <paramref name="hz"/>; frequencies below 150 Hz count as band 0, above 6000 Hz as band 7.</summary>
    public static int BandOf(double hz)
    {
        if (double.IsNaN(hz))
        {
            return -1;
        }

        var band = (int)Math.Floor(Count * Math.Log(hz / 150) / Math.Log(40));
        return Math.Clamp(band, 0, Count - 1);
    }
}
