namespace EchoPipeline.Cli.Evaluation;

/// <summary>
/// Mel-domain spectral centroid: the mean of the mel bands' centre frequencies weighted by their power, over all
/// frames. For a tone or a narrow band it sits inside the band; the world's bands are what it is compared with.
/// </summary>
internal static class SpectralCentroid
{
    public static double Hz(PowerMel mel)
    {
        double weighted = 0, total = 0;
        for (var m = 0; m < mel.Bands; m++)
        {
            for (var t = 0; t < mel.Frames; t++)
            {
                weighted += mel.CentreHz[m] * mel[m, t];
                total += mel[m, t];
            }
        }

        return weighted / total;
    }
}
