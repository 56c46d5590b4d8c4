using EchoPipeline.Provenance.Watermarking;

namespace EchoPipeline.Provenance.Tests.Watermarking;

/// <summary>The detector's second fold, weighted by hop loudness (WatermarkDetector.LoudnessWeights).</summary>
public sealed class LoudnessWeightedFoldTests
{
    private static readonly WatermarkKey Key = WatermarkKey.FromSecret("loudness-weighted fold test secret");
    private static readonly WatermarkPayload Payload = new(0x00c0ffeeu);

    [Fact]
    public void A_short_blip_in_silence_with_noise_20_db_under_the_clip_is_found_by_the_weighted_fold_where_the_plain_one_falls_short()
    {
        // The bench's three misses: one 0.3 s sound in 9.5 s of near-silence, then white noise 20 dB below the clip's mean power.
        var original = TestAudio.WhiteNoise(9.845, seed: 5, rms: 9e-5);
        var blip = TestAudio.BandNoise(0.3, 900, 1400, seed: 6, rms: 0.2);
        for (var i = 0; i < blip.Length; i++)
        {
            original[(2 * TestAudio.Rate) + i] += blip[i];
        }

        var marked = WatermarkEmbedder.Embed(original, Key, Payload, out _);
        var power = marked.Average(x => (double)x * x);
        var noise = TestAudio.WhiteNoise(9.845, seed: 7, rms: Math.Sqrt(power / 100));
        var noisy = marked.Zip(noise, (a, b) => a + b).ToArray();

        var plain = WatermarkDetector.PilotStatistics(noisy, Key).Max();
        var detection = WatermarkDetector.Detect(noisy, Key);

        Assert.True(detection.Present, $"statistic {detection.Statistic:F2}, plain fold {plain:F2}");
        Assert.True(detection.Statistic > 1.5 * plain, $"weighted {detection.Statistic:F2} vs plain {plain:F2}");
    }

    [Fact]
    public void Hops_of_even_loudness_get_even_weights_and_louder_hops_count_more()
    {
        var even = TestAudio.WhiteNoise(3, seed: 9, rms: 0.1);
        var steps = even.Select((x, n) => n < TestAudio.Rate ? x * 10 : x).ToArray();

        var evenWeights = WatermarkDetector.LoudnessWeights(even);
        var stepWeights = WatermarkDetector.LoudnessWeights(steps);

        // A hop's mean square over 512 samples of white noise varies by about 6%, so even hops weigh 0 to ~0.25.
        Assert.All(evenWeights, w => Assert.InRange(w, 0, 0.25));
        Assert.All(stepWeights.Take(40), w => Assert.InRange(w, 0.98, 1.0)); // 100x the median power: 1 - 1/100
        Assert.All(stepWeights.Skip(45), w => Assert.InRange(w, 0, 0.25));
    }

    [Fact]
    public void Silence_gets_no_weight_and_no_statistic()
    {
        var detection = WatermarkDetector.Detect(new float[3 * TestAudio.Rate], Key);

        Assert.All(WatermarkDetector.LoudnessWeights(new float[4096]), w => Assert.Equal(0, w));
        Assert.False(detection.Present);
        Assert.Equal(0, detection.Statistic);
    }
}
