using EchoPipeline.Provenance.Watermarking;

namespace EchoPipeline.Provenance.Tests.Watermarking;

/// <summary>Round trips through the embedder and the detector on signals like the demo world's (no codec: see the CLI tests).</summary>
public sealed class EmbedDetectTests
{
    private static readonly WatermarkKey Key = WatermarkKey.FromSecret("embed-detect test secret");
    private static readonly WatermarkPayload Payload = new(0x3f2a91c5u);

    [Fact]
    public void A_marked_clip_is_found_with_its_payload_in_every_second()
    {
        var original = TestAudio.PulsedChirp(9.845);

        var marked = WatermarkEmbedder.Embed(original, Key, Payload, out var embedding);
        var detection = WatermarkDetector.Detect(marked, Key);

        Assert.True(detection.Present);
        Assert.InRange(detection.Statistic, 3 * WatermarkScheme.DetectionThreshold, double.MaxValue);
        Assert.Equal(Payload, detection.Payload);
        Assert.Equal(0, detection.Lag);
        Assert.Equal(Key.Id, detection.KeyId);
        Assert.Equal(10, detection.Seconds.Count);
        Assert.All(detection.Seconds, s => Assert.True(s.Marked, $"second {s.Second}: z = {s.Statistic:F1}"));
        Assert.Equal(Payload, embedding.Payload);
    }

    [Fact]
    public void The_mark_sits_36_db_below_the_original()
    {
        var original = TestAudio.PulsedChirp(5);

        var marked = WatermarkEmbedder.Embed(original, Key, Payload, out var embedding);

        // Independent of the embedder's own figure: the energy ratio of what was added.
        var signal = original.Sum(x => (double)x * x);
        var mark = original.Zip(marked, (a, b) => ((double)b - a) * ((double)b - a)).Sum();
        var snr = 10 * Math.Log10(signal / mark);
        Assert.Equal(WatermarkScheme.TargetSnrDb, snr, 0.05);
        Assert.Equal(snr, embedding.SnrDb, 1e-6);
    }

    [Fact]
    public void Embedding_is_deterministic_to_the_last_bit()
    {
        var original = TestAudio.PulsedChirp(3);

        var first = WatermarkEmbedder.Embed(original, Key, Payload, out _);
        var second = WatermarkEmbedder.Embed(original, WatermarkKey.FromSecret("embed-detect test secret"), Payload, out _);

        Assert.Equal(first, second);
        Assert.NotEqual(first, WatermarkEmbedder.Embed(original, Key, new WatermarkPayload(1), out _));
    }

    [Theory]
    [InlineData(0.01)]
    [InlineData(0.1)]
    [InlineData(2.3)]
    [InlineData(9.845)]
    public void Marking_gives_the_same_samples_to_the_last_bit_on_one_thread_as_on_many(double seconds)
    {
        var original = TestAudio.PulsedChirp(seconds);
        var alone = new float[original.Length];
        WatermarkEmbedder.Embed(original, alone, Key, Payload, maxDegreeOfParallelism: 1);

        foreach (var threads in new[] { 2, 3, 8, -1 })
        {
            var shared = new float[original.Length];
            WatermarkEmbedder.Embed(original, shared, Key, Payload, threads);
            Assert.Equal(alone, shared);
        }

        Assert.NotEqual(original, alone);
    }

    [Fact]
    public void A_thread_count_of_zero_is_refused()
    {
        var original = TestAudio.PulsedChirp(1);

        Assert.Throws<ArgumentOutOfRangeException>(() => WatermarkEmbedder.Embed(original, new float[original.Length], Key, Payload, maxDegreeOfParallelism: 0));
    }

    [Fact]
    public void A_clip_that_is_one_short_blip_in_silence_is_marked_in_the_silence_too_far_below_the_blip()
    {
        // What the demo bundle sometimes makes: 0.3 s of a 4.6 kHz tone in 9.8 s of near-silence (-81 dBFS floor).
        var original = TestAudio.WhiteNoise(9.845, seed: 3, rms: 9e-5);
        var blip = TestAudio.Tone(0.3, 4600, amplitude: 0.25);
        for (var i = 0; i < blip.Length; i++)
        {
            original[TestAudio.Rate + i] += blip[i];
        }

        var marked = WatermarkEmbedder.Embed(original, Key, Payload, out _);
        var detection = WatermarkDetector.Detect(marked, Key);

        Assert.Equal(Payload, detection.Payload);
        Assert.True(detection.Seconds.Count(s => s.Marked) >= 8, string.Join(' ', detection.Seconds.Select(s => s.Statistic.ToString("F1", System.Globalization.CultureInfo.InvariantCulture))));
        // The mark in the silence (seconds 4-8) sits at least 70 dB under the blip.
        var quiet = Rms(marked.AsSpan(4 * TestAudio.Rate, 4 * TestAudio.Rate), original.AsSpan(4 * TestAudio.Rate, 4 * TestAudio.Rate));
        var loud = Math.Sqrt(blip.Average(x => (double)x * x));
        Assert.InRange(20 * Math.Log10(loud / quiet), 70, 90);
    }

    private static double Rms(ReadOnlySpan<float> marked, ReadOnlySpan<float> original)
    {
        double sum = 0;
        for (var i = 0; i < marked.Length; i++)
        {
            sum += ((double)marked[i] - original[i]) * ((double)marked[i] - original[i]);
        }

        return Math.Sqrt(sum / marked.Length);
    }

    [Fact]
    public void The_mark_is_absent_for_another_key()
    {
        var marked = WatermarkEmbedder.Embed(TestAudio.PulsedChirp(9.845), Key, Payload, out _);

        var detection = WatermarkDetector.Detect(marked, WatermarkKey.FromSecret("some other secret"));

        Assert.False(detection.Present);
        Assert.Null(detection.Payload);
        Assert.Empty(detection.Seconds);
        Assert.InRange(detection.Statistic, double.MinValue, WatermarkScheme.DetectionThreshold);
    }

    public static TheoryData<string> UnmarkedSignals => ["silence", "tone", "white noise", "band noise", "pulsed chirp"];

    [Theory]
    [MemberData(nameof(UnmarkedSignals))]
    public void Unmarked_audio_is_absent(string signal)
    {
        var samples = signal switch
        {
            "silence" => new float[TestAudio.Rate * 5],
            "tone" => TestAudio.Tone(5, 1000),
            "white noise" => TestAudio.WhiteNoise(5, seed: 4),
            "band noise" => TestAudio.BandNoise(5, 2000, 2600, seed: 5),
            _ => TestAudio.PulsedChirp(5),
        };

        var detection = WatermarkDetector.Detect(samples, Key);

        Assert.False(detection.Present, $"z = {detection.Statistic:F2}");
        Assert.Null(detection.Payload);
    }

    [Fact]
    public void Three_seconds_cut_from_anywhere_at_minus_6_db_still_give_the_mark_and_payload()
    {
        var marked = WatermarkEmbedder.Embed(TestAudio.PulsedChirp(9.845, 2000, 2600), Key, Payload, out _);
        const int start = 54321;

        var excerpt = marked.AsSpan(start, 3 * TestAudio.Rate).ToArray().Select(x => x * 0.5f).ToArray();
        var detection = WatermarkDetector.Detect(excerpt, Key);

        Assert.True(detection.Present);
        Assert.Equal(Payload, detection.Payload);
        // The excerpt starts 54321 samples in, so the period begins 16384 - (54321 mod 16384) samples later.
        Assert.Equal((WatermarkScheme.Period - (start % WatermarkScheme.Period)) % WatermarkScheme.Period, detection.Lag);
    }

    [Fact]
    public void Seconds_spliced_in_from_unmarked_audio_are_reported_unmarked()
    {
        var original = TestAudio.PulsedChirp(8, 900, 1400);
        var marked = WatermarkEmbedder.Embed(original, Key, Payload, out _);
        var spliced = marked[..(4 * TestAudio.Rate)].Concat(original[(4 * TestAudio.Rate)..]).ToArray();

        var detection = WatermarkDetector.Detect(spliced, Key);

        Assert.True(detection.Present);
        Assert.Equal("11110000", string.Concat(detection.Seconds.Select(s => s.Marked ? '1' : '0')));
    }

    [Fact]
    public void The_statistic_at_every_lag_is_the_correlation_summed_directly_in_time_over_one_normaliser()
    {
        var marked = WatermarkEmbedder.Embed(TestAudio.PulsedChirp(2), Key, Payload, out _);
        var statistics = WatermarkDetector.PilotStatistics(marked, Key);
        var fold = WatermarkDetector.Fold(WatermarkDetector.Whiten(marked));
        var pilot = Key.Pilot.Samples;

        int[] lags = [0, 1, 777, 16383];
        var ratios = lags.Select(lag =>
        {
            double direct = 0;
            for (var m = 0; m < fold.Length; m++)
            {
                direct += fold[m] * pilot[(m - lag + fold.Length) % fold.Length];
            }

            return direct / statistics[lag];
        }).ToArray();

        Assert.All(ratios, r => Assert.Equal(ratios[0], r, Math.Abs(ratios[0]) * 1e-9));
        Assert.True(ratios[0] > 0);
    }
}
