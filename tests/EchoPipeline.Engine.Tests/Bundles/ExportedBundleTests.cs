using System.Text.Json;
using EchoPipeline.Engine.Audio;
using EchoPipeline.Engine.Components;
using EchoPipeline.Engine.Generation;
using EchoPipeline.Engine.Tests.Generation;
using EchoPipeline.Provenance.Watermarking;
using EchoPipeline.Testing;
using Microsoft.ML.OnnxRuntime;
using Xunit.Abstractions;

namespace EchoPipeline.Engine.Tests.Bundles;

/// <summary>
/// The bundle that tools/export_checkpoint.py and tools/assemble_bundle.py make from the small variants of the
/// published architectures (taming VQGAN, SpecVQGAN codebook, MelGAN, Visual Echoes transformer; random weights,
/// codebooks 1024, tools/make_exported_fixture.py) runs in the engine end to end.
/// </summary>
public sealed class ExportedBundleTests(ExportedBundleFixture bundle, ITestOutputHelper output) : IClassFixture<ExportedBundleFixture>
{
    private EchoModel Model => bundle.Model;

    private EchoGenerator Generator => bundle.Generator;

    [Fact]
    public async Task Image_to_audio_gives_a_wav_of_217088_samples_from_the_onnx_vocoder()
    {
        var result = (await Generator.GenerateAsync([new EchoRequest { Image = TinyModel.Picture(1), Seed = 3, Steps = 4 }]))[0];

        Assert.Equal("exported-small", result.Provenance.BundleId);
        Assert.Equal(265, result.AudioTokens.Length);
        Assert.All(result.AudioTokens, t => Assert.InRange(t, 0, 1023));
        Assert.Equal(80 * 848, result.Mel!.Length);
        Assert.All(result.Mel, m => Assert.InRange(m, 0f, 1f));
        var waveform = result.Waveform!;
        Assert.Equal(217088, waveform.Length);
        Assert.All(waveform, s => Assert.True(float.IsFinite(s) && Math.Abs(s) <= 1f));
        var mean = waveform.Average(s => (double)s);
        var rms = Math.Sqrt(waveform.Average(s => (s - mean) * (s - mean)));
        output.WriteLine($"waveform mean {mean:G4}, rms about the mean {rms:G4}");
        Assert.True(rms > 1e-2, $"the waveform is (nearly) constant: rms {rms} about its mean {mean}");

        // The bundle's MelGAN made it: the same mel through the ONNX vocoder, then the watermark, gives these samples exactly.
        Assert.IsType<OnnxVocoder>(Model.Vocoder);
        var payload = result.Provenance.Watermark!.Payload!.Value;
        Assert.Equal(WatermarkEmbedder.Embed(Model.Vocoder.Synthesize(result.Mel), WatermarkKey.PublicDefault, payload, out _), waveform);

        var wav = WavReader.Decode(WavWriter.Encode(waveform, Model.Mel.SampleRate));
        Assert.Equal(217088, wav.Samples.Length);
        Assert.Equal(22050, wav.SampleRate);
    }

    [Fact]
    public async Task The_seed_decides_the_audio()
    {
        var request = new EchoRequest { Image = TinyModel.Picture(2), Seed = 7, Steps = 4 };

        var first = (await Generator.GenerateAsync([request]))[0];
        var again = (await Generator.GenerateAsync([request]))[0];
        var other = (await Generator.GenerateAsync([request with { Seed = 8 }]))[0];

        Assert.Equal(first.AudioTokens, again.AudioTokens);
        Assert.Equal(first.Waveform, again.Waveform);
        Assert.NotEqual(first.AudioTokens, other.AudioTokens);
        Assert.NotEqual(first.Waveform, other.Waveform);
    }

    [Fact]
    public async Task Audio_to_image_draws_an_image_guided_by_the_clip_tokens()
    {
        var tone = TinyModel.Tone(440);

        var result = (await Generator.GenerateAsync([new EchoRequest { Mode = GenerationMode.AudioToImage, Audio = tone, Seed = 1, Steps = 4 }]))[0];

        Assert.Equal(Model.AudioTokenizer!.Tokenize(new MelFrontEnd(Model.Mel).Compute(tone)), result.AudioTokens);
        Assert.Equal(256, result.ImageTokens.Length);
        Assert.All(result.ImageTokens, t => Assert.InRange(t, 0, 1023));
        Assert.Equal(256 * 256 * 3, result.Image!.Length);
        Assert.True(result.Image.Distinct().Count() > 16, "the decoded image is (nearly) flat");
        Assert.Null(result.Waveform);
    }

    public static TheoryData<string> Vocoders => ["melgan", "hifigan"];

    /// <summary>ONNX Runtime runs the exported MelGAN and HiFi-GAN like PyTorch did (tests/fixtures/vocoders/reference.json).</summary>
    [Theory]
    [MemberData(nameof(Vocoders))]
    public void Exported_vocoder_matches_pytorch(string kind)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(RepoPaths.Fixture("vocoders", "reference.json")));
        var tolerance = document.RootElement.GetProperty("tolerance");
        var expected = document.RootElement.GetProperty("vocoders").EnumerateArray().Single(v => v.GetProperty("kind").GetString() == kind);
        using var session = new InferenceSession(RepoPaths.Fixture(expected.GetProperty("file").GetString()!.Split('/')));
        var mel = new float[2 * 80 * 848];
        for (var b = 0; b < 2; b++)
        {
            for (var f = 0; f < 80; f++)
            {
                for (var t = 0; t < 848; t++)
                {
                    mel[(((b * 80) + f) * 848) + t] = (float)(0.5 + (0.5 * Math.Sin((0.11 * f) + (0.013 * t) + (0.5 * b))));
                }
            }
        }

        using var input = OrtValue.CreateTensorValueFromMemory(mel, [2, 80, 848]);
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, ["mel"], [input], ["waveform"]);
        Assert.Equal([2L, 217088L], results[0].GetTensorTypeAndShape().Shape);
        var waveform = results[0].GetTensorDataAsSpan<float>();

        var absTolerance = tolerance.GetProperty("abs").GetDouble();
        for (var row = 0; row < 2; row++)
        {
            var actual = waveform.Slice(row * 217088, 217088);
            var maxDiff = 0.0;
            foreach (var (index, value) in expected.GetProperty("index").EnumerateArray().Zip(expected.GetProperty("values")[row].EnumerateArray()))
            {
                maxDiff = Math.Max(maxDiff, Math.Abs(actual[index.GetInt32()] - value.GetDouble()));
            }

            double sum = 0, absSum = 0;
            foreach (var v in actual)
            {
                sum += v;
                absSum += Math.Abs(v);
            }

            var expectedAbsSum = expected.GetProperty("abs_sum")[row].GetDouble();
            var sumTolerance = tolerance.GetProperty("sum_rel").GetDouble() * expectedAbsSum;
            output.WriteLine($"{kind} row {row}: max |ORT - PyTorch| {maxDiff:E2}; sum {sum:G7} vs {expected.GetProperty("sum")[row].GetDouble():G7}");
            Assert.InRange(maxDiff, 0, absTolerance);
            Assert.InRange(sum, expected.GetProperty("sum")[row].GetDouble() - sumTolerance, expected.GetProperty("sum")[row].GetDouble() + sumTolerance);
            Assert.InRange(absSum, expectedAbsSum - sumTolerance, expectedAbsSum + sumTolerance);
            var values = expected.GetProperty("values")[row].EnumerateArray().Select(v => v.GetDouble()).ToArray();
            Assert.True(values.Max() - values.Min() > 100 * absTolerance, $"{kind}: the reference samples are (nearly) constant");
        }
    }
}

/// <summary>The exported-small bundle, loaded once for the tests of this class.</summary>
public sealed class ExportedBundleFixture : IDisposable
{
    public ExportedBundleFixture()
    {
        Model = EchoModel.Load(RepoPaths.Fixture("bundles", "exported-small"));
        Generator = new EchoGenerator(Model);
    }

    public EchoModel Model { get; }

    public EchoGenerator Generator { get; }

    public void Dispose() => Model.Dispose();
}
