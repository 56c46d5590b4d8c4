using EchoPipeline.Provenance.Watermarking;

namespace EchoPipeline.Provenance.Tests.Watermarking;

/// <summary>
/// The threshold rests on one claim: for audio that does not depend on the key, the statistic at any lag has mean 0
/// and variance 1 over the key's random phases (and a sub-Gaussian tail). Checked here over many keys on fixed audio,
/// including audio marked with another key.
/// </summary>
public sealed class NullDistributionTests
{
    private const int Keys = 240;

    public static TheoryData<string> Signals => ["pulsed chirp", "marked with another key"];

    [Theory]
    [MemberData(nameof(Signals))]
    public void The_statistic_at_a_fixed_lag_has_zero_mean_and_unit_variance_over_keys(string signal)
    {
        var samples = signal == "pulsed chirp"
            ? TestAudio.PulsedChirp(2, 400, 3000)
            : WatermarkEmbedder.Embed(TestAudio.PulsedChirp(2, 400, 3000), WatermarkKey.FromSecret("the marking key"), new WatermarkPayload(7), out _);
        var atLagZero = new double[Keys];
        var maxima = new double[Keys];

        for (var i = 0; i < Keys; i++)
        {
            var statistics = WatermarkDetector.PilotStatistics(samples, WatermarkKey.FromSecret($"null key {i}"));
            atLagZero[i] = statistics[0];
            maxima[i] = statistics.Max();
        }

        // With 240 draws the sample mean has standard error 0.065 and the sample standard deviation about 0.046.
        Assert.InRange(atLagZero.Average(), -0.26, 0.26);
        var sd = Math.Sqrt(atLagZero.Select(z => z * z).Average() - (atLagZero.Average() * atLagZero.Average()));
        Assert.InRange(sd, 0.85, 1.15);
        // The maximum over 16384 lags of unit normals sits near sqrt(2 ln 16384) = 4.4 and never near the threshold.
        Assert.InRange(maxima.Average(), 3.6, 4.8);
        Assert.All(maxima, z => Assert.True(z < WatermarkScheme.DetectionThreshold, $"max z = {z:F2}"));
    }
}
