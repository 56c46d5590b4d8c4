using EchoPipeline.Engine.Audio;
using EchoPipeline.Engine.Bundles;
using EchoPipeline.Engine.Generation;
using EchoPipeline.Engine.Generation.Continuation;
using EchoPipeline.Engine.Generation.Watermarking;

namespace EchoPipeline.Engine.Tests.Generation;

public sealed class EchoGeneratorTests : IDisposable
{
    private readonly EchoModel _model = TinyModel.Load();
    private readonly EchoGenerator _generator;

    public EchoGeneratorTests() => _generator = new EchoGenerator(_model);

    public void Dispose() => _model.Dispose();

    [Fact]
    public async Task Image_to_audio_gives_tokens_a_unit_range_mel_and_a_finite_waveform_with_provenance()
    {
        var result = (await _generator.GenerateAsync([new EchoRequest { Image = TinyModel.Picture(1), Seed = 3, Steps = 6 }]))[0];

        Assert.Equal(265, result.AudioTokens.Length);
        Assert.All(result.AudioTokens, t => Assert.InRange(t, 0, 63));
        Assert.Equal(80 * 848, result.Mel!.Length);
        Assert.All(result.Mel, m => Assert.InRange(m, 0f, 1f));
        Assert.Equal(217088, result.Waveform!.Length);
        Assert.All(result.Waveform, s => Assert.True(float.IsFinite(s)));
        Assert.Null(result.Image);
        Assert.Equal(new GenerationProvenance("tiny-test", _model.BundleSha256, GenerationMode.ImageToAudio, 3, 6, 9, 3) { Asked = new AskedSampling(6, null, null), Transformer = TransformerGraphs.Plain }, result.Provenance with { Watermark = null });
        Assert.True(result.Provenance.Watermark!.Applied);
        Assert.True(result.Timings.Unmask > TimeSpan.Zero && result.Timings.Total >= result.Timings.Unmask);
        Assert.True(result.Timings.InferenceRun > TimeSpan.Zero && result.Timings.InferenceRun <= result.Timings.Total);
    }

    [Fact]
    public async Task A_request_gives_bit_identical_tokens_and_waveform_alone_and_in_a_batch_of_three()
    {
        var mine = new EchoRequest { Image = TinyModel.Picture(2), Seed = 11, Steps = 8 };

        var alone = (await _generator.GenerateAsync([mine]))[0];
        var batch = await _generator.GenerateAsync([
            new EchoRequest { Image = TinyModel.Picture(5), Seed = 1, Steps = 8, Guidance = 1 },
            mine,
            new EchoRequest { Image = TinyModel.Picture(7), Seed = 2, Steps = 5, Temperature = 0 },
        ]);

        Assert.Equal(alone.AudioTokens, batch[1].AudioTokens);
        Assert.Equal(alone.Mel, batch[1].Mel);
        Assert.Equal(alone.Waveform, batch[1].Waveform);
        Assert.NotEqual(alone.AudioTokens, batch[0].AudioTokens);
    }

    [Fact]
    public async Task Different_modes_share_one_batch_and_match_their_solo_runs()
    {
        EchoRequest[] requests =
        [
            new() { Mode = GenerationMode.AudioToImage, Audio = TinyModel.Tone(330), Seed = 1, Steps = 4 },
            new() { Image = TinyModel.Picture(6), Seed = 2, Steps = 5 },
            new() { Mode = GenerationMode.CoGeneration, Seed = 3, Steps = 4 },
        ];

        var together = await _generator.GenerateAsync(requests);

        for (var i = 0; i < requests.Length; i++)
        {
            var alone = (await _generator.GenerateAsync([requests[i]]))[0];
            Assert.Equal(alone.AudioTokens, together[i].AudioTokens);
            Assert.Equal(alone.ImageTokens, together[i].ImageTokens);
            Assert.Equal(alone.Waveform, together[i].Waveform);
            Assert.Equal(alone.Image, together[i].Image);
        }

        Assert.Equal(3, together[0].Timings.BatchSize);
    }

    [Fact]
    public async Task The_seed_decides_the_output()
    {
        var request = new EchoRequest { Image = TinyModel.Picture(3), Seed = 5, Steps = 6 };

        var first = (await _generator.GenerateAsync([request]))[0];
        var again = (await _generator.GenerateAsync([request]))[0];
        var other = (await _generator.GenerateAsync([request with { Seed = 6 }]))[0];

        Assert.Equal(first.Waveform, again.Waveform);
        Assert.NotEqual(first.AudioTokens, other.AudioTokens);
    }

    [Fact]
    public async Task Audio_to_image_draws_an_image_guided_by_the_clip()
    {
        var result = (await _generator.GenerateAsync([new EchoRequest { Mode = GenerationMode.AudioToImage, Audio = TinyModel.Tone(440), Seed = 1, Steps = 6 }]))[0];

        var clipTokens = _model.AudioTokenizer!.Tokenize(new MelFrontEnd(_model.Mel).Compute(TinyModel.Tone(440)));
        Assert.Equal(clipTokens, result.AudioTokens);
        Assert.All(result.ImageTokens, t => Assert.InRange(t, 0, 47));
        Assert.Equal(256 * 256 * 3, result.Image!.Length);
        Assert.True(result.Image.Distinct().Count() > 1, "the decoded image is not flat");
        Assert.Null(result.Waveform);
    }

    [Fact]
    public async Task Co_generation_gives_both_modalities()
    {
        var result = (await _generator.GenerateAsync([new EchoRequest { Mode = GenerationMode.CoGeneration, Seed = 4, Steps = 6 }]))[0];

        Assert.All(result.AudioTokens, t => Assert.InRange(t, 0, 63));
        Assert.All(result.ImageTokens, t => Assert.InRange(t, 0, 47));
        Assert.Equal(217088, result.Waveform!.Length);
        Assert.Equal(256 * 256 * 3, result.Image!.Length);
    }

    [Fact]
    public async Task Inpainting_keeps_the_clip_tokens_in_the_known_columns()
    {
        var tone = TinyModel.Tone(220);
        var known = Enumerable.Range(0, 53).Select(c => c < 20 || c >= 40).ToArray();

        var result = (await _generator.GenerateAsync([new EchoRequest { Image = TinyModel.Picture(1), Audio = tone, KnownAudioColumns = known, Seed = 9, Steps = 6 }]))[0];

        var clipTokens = _model.AudioTokenizer!.Tokenize(new MelFrontEnd(_model.Mel).Compute(tone));
        for (var p = 0; p < 265; p++)
        {
            if (known[p % 53])
            {
                Assert.Equal(clipTokens[p], result.AudioTokens[p]);
            }
        }
    }

    [Fact]
    public async Task Continuation_conditions_each_window_on_the_previous_windows_last_columns()
    {
        const int k = EchoGenerator.DefaultContextColumns;

        // Unmarked, so the stitched samples can be compared with the windows' (the marked case: WatermarkingTests).
        var result = await new EchoGenerator(_model, watermark: WatermarkPolicy.Off).GenerateLongAsync([TinyModel.Picture(1), TinyModel.Picture(4)], new EchoRequest { Seed = 20, Steps = 6 });

        var (first, second) = (result.Windows[0].AudioTokens, result.Windows[1].AudioTokens);
        for (var row = 0; row < 5; row++)
        {
            Assert.Equal(first.AsSpan((row * 53) + 53 - k, k).ToArray(), second.AsSpan(row * 53, k).ToArray());
        }

        Assert.Equal(SoundtrackRequest.WindowSeed(20, 1), result.Windows[1].Provenance.Seed);
        Assert.Equal(217088 + 217088 - (k * 4096), result.Waveform.Length);
        Assert.Equal(result.Windows[0].Waveform.AsSpan(0, 217088 - 1102).ToArray(), result.Waveform.AsSpan(0, 217088 - 1102).ToArray());
        Assert.Equal(result.Windows[1].Waveform.AsSpan(k * 4096).ToArray(), result.Waveform.AsSpan(217088).ToArray());
    }

    [Fact]
    public void Cancelling_mid_generation_throws_promptly()
    {
        // The generation runs on this thread and a dedicated thread cancels it, so a busy thread pool cannot delay either.
        using var cancellation = new CancellationTokenSource();
        var request = new EchoRequest { Image = TinyModel.Picture(1), Seed = 1, Steps = 2000 };
        var cancelledAt = 0L;
        var canceller = new Thread(() =>
        {
            Thread.Sleep(400);
            cancelledAt = System.Diagnostics.Stopwatch.GetTimestamp();
            cancellation.Cancel();
        });
        canceller.Start();

        Assert.ThrowsAny<OperationCanceledException>(() => _generator.Generate([request, request, request, request], cancellation.Token));

        var latency = System.Diagnostics.Stopwatch.GetElapsedTime(cancelledAt);
        Assert.NotEqual(0L, cancelledAt);
        Assert.True(latency < TimeSpan.FromMilliseconds(500), $"took {latency.TotalMilliseconds} ms after cancel");
    }

    [Fact]
    public async Task Bad_requests_are_refused_naming_the_request_and_field()
    {
        var noImage = await Assert.ThrowsAsync<ArgumentException>(() => _generator.GenerateAsync([new EchoRequest { Image = TinyModel.Picture(1) }, new EchoRequest()]));
        var smallImage = await Assert.ThrowsAsync<ArgumentException>(() => _generator.GenerateAsync([new EchoRequest { Image = new byte[10] }]));
        var columns = await Assert.ThrowsAsync<ArgumentException>(() => _generator.GenerateAsync([new EchoRequest { Image = TinyModel.Picture(1), Audio = new float[5], KnownAudioColumns = new bool[3] }]));

        Assert.Equal("Request 1 (ImageToAudio): Image is required.", noImage.Message);
        Assert.Contains("Image has 10 bytes; rgb24 256x256 needs 196608", smallImage.Message, StringComparison.Ordinal);
        Assert.Contains("KnownAudioColumns has 3 entries; the audio grid has 53 columns", columns.Message, StringComparison.Ordinal);
    }
}
