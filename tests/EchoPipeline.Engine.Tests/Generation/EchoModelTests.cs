using System.Text.Json.Nodes;
using EchoPipeline.Engine.Audio;
using EchoPipeline.Engine.Components;
using EchoPipeline.Engine.Generation;
using EchoPipeline.Provenance.Watermarking;

namespace EchoPipeline.Engine.Tests.Generation;

public sealed class EchoModelTests
{
    [Fact]
    public void Takes_grids_defaults_and_identity_from_the_manifest()
    {
        using var model = TinyModel.Load();

        Assert.Equal("tiny-test", model.BundleId);
        Assert.Equal(64, model.BundleSha256.Length);
        Assert.Equal(new(265, 64), model.Transformer.Audio);
        Assert.Equal(new(256, 48), model.Transformer.Image);
        Assert.Equal(53, model.AudioColumns);
        Assert.Equal(4096, model.SamplesPerAudioColumn);
        Assert.Equal(new SamplingSettings(30, 9, 3), model.Defaults);
        Assert.IsType<OnnxVocoder>(model.Vocoder);
    }

    [Fact]
    public async Task Without_a_vocoder_the_bundle_falls_back_to_griffin_lim()
    {
        var copy = Directory.CreateTempSubdirectory("echo-no-vocoder-");
        try
        {
            foreach (var file in Directory.GetFiles(TinyModel.Directory).Where(f => !f.EndsWith("vocoder.onnx", StringComparison.Ordinal)))
            {
                File.Copy(file, Path.Combine(copy.FullName, Path.GetFileName(file)));
            }

            var manifestPath = Path.Combine(copy.FullName, "bundle.json");
            var manifest = JsonNode.Parse(await File.ReadAllTextAsync(manifestPath))!;
            manifest["components"]!.AsObject().Remove("vocoder");
            await File.WriteAllTextAsync(manifestPath, manifest.ToJsonString());

            using var model = EchoModel.Load(copy.FullName);
            var result = (await new EchoGenerator(model).GenerateAsync([new EchoRequest { Image = TinyModel.Picture(1), Steps = 2 }]))[0];

            Assert.IsType<GriffinLimVocoder>(model.Vocoder);
            Assert.Equal(217088, result.Waveform!.Length);
            Assert.Contains(result.Waveform, s => s != 0f);
        }
        finally
        {
            copy.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task The_wav_carries_the_provenance_in_its_info_chunk()
    {
        using var model = TinyModel.Load();
        var result = (await new EchoGenerator(model).GenerateAsync([new EchoRequest { Image = TinyModel.Picture(2), Seed = 77, Steps = 3, Guidance = 2.5f }]))[0];

        var wav = WavReader.Decode(WavWriter.Encode(result.Waveform, result.SampleRate, result.Provenance.ToWavInfo()));

        Assert.Equal(22050, wav.SampleRate);
        Assert.Equal(
            $"ai_generated=true bundle=tiny-test sha256={model.BundleSha256} mode=ImageToAudio seed=77 steps=3 temperature=9 guidance=2.5 " +
            $"watermark=echo-wm/1 payload={result.Provenance.Watermark!.Payload} key={WatermarkKey.PublicDefault.Id}",
            wav.Info["ICMT"]);
        Assert.Equal(GenerationProvenance.Software, wav.Info["ISFT"]);
    }
}
