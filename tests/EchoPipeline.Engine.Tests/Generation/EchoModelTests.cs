using System.Text.Json.Nodes;
using EchoPipeline.Engine.Audio;
using EchoPipeline.Engine.Components;
using EchoPipeline.Engine.Generation;
using EchoPipeline.Engine.Generation.Sampling;
using EchoPipeline.Engine.Tests.Bundles;
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
    public void Without_sampling_modes_every_mode_takes_the_top_level_defaults()
    {
        using var bundle = new TempBundle();
        bundle.Manifest["sampling"] = JsonNode.Parse("""{ "steps": 30, "temperature": 9, "guidance": 3 }""");
        using var model = EchoModel.Load(bundle.Save().Directory);

        Assert.All(Enum.GetValues<GenerationMode>(), mode => Assert.Equal(new SamplingSettings(30, 9, 3), model.DefaultsFor(mode)));
    }

    [Fact]
    public async Task A_bundle_that_guides_in_probability_space_generates_other_audio_than_one_that_guides_logits()
    {
        using var logits = new TempBundle();
        using var probabilities = new TempBundle();
        probabilities.Manifest["sampling"]!["guidanceSpace"] = "probabilities";
        using var logitModel = EchoModel.Load(logits.Save().Directory);
        using var probabilityModel = EchoModel.Load(probabilities.Save().Directory);
        EchoRequest[] requests = [new EchoRequest { Image = TinyModel.Picture(1), Seed = 1, Steps = 8, Guidance = 3 }];

        var fromLogits = await new EchoGenerator(logitModel).GenerateAsync(requests);
        var fromProbabilities = await new EchoGenerator(probabilityModel).GenerateAsync(requests);

        Assert.Equal(GuidanceSpace.Logits, logitModel.GuidanceSpace);
        Assert.Equal(GuidanceSpace.Probabilities, probabilityModel.GuidanceSpace);
        Assert.NotEqual(fromLogits[0].AudioTokens, fromProbabilities[0].AudioTokens);
    }

    [Fact]
    public async Task A_request_that_leaves_a_parameter_unset_gets_its_modes_default_from_the_bundle()
    {
        using var bundle = new TempBundle();
        bundle.Manifest["sampling"] = JsonNode.Parse("""
            { "steps": 5, "temperature": 7, "guidance": 1, "modes": { "imageToAudio": { "guidance": 2.5, "steps": 3 }, "coGeneration": { "temperature": 4 } } }
            """);
        using var model = EchoModel.Load(bundle.Save().Directory);

        Assert.Equal(new SamplingSettings(3, 7, 2.5f), model.DefaultsFor(GenerationMode.ImageToAudio));
        Assert.Equal(new SamplingSettings(5, 7, 1), model.DefaultsFor(GenerationMode.AudioToImage));
        Assert.Equal(new SamplingSettings(5, 4, 1), model.DefaultsFor(GenerationMode.CoGeneration));
        var generator = new EchoGenerator(model);
        var results = await generator.GenerateAsync(
        [
            new EchoRequest { Image = TinyModel.Picture(1), Seed = 1 },
            new EchoRequest { Image = TinyModel.Picture(1), Seed = 1, Guidance = 1 },
            new EchoRequest { Mode = GenerationMode.CoGeneration, Seed = 1 },
        ]);

        Assert.Equal((3, 7.0, 2.5f), (results[0].Provenance.Steps, results[0].Provenance.Temperature, results[0].Provenance.Guidance));
        Assert.Equal(new AskedSampling(null, null, null), results[0].Provenance.Asked);
        Assert.Contains("steps=3 temperature=7 guidance=2.5 asked=steps:default,temperature:default,guidance:default", results[0].Provenance.ToString(), StringComparison.Ordinal);
        Assert.Equal(1f, results[1].Provenance.Guidance);
        Assert.Contains("asked=steps:default,temperature:default,guidance:1", results[1].Provenance.ToString(), StringComparison.Ordinal);
        Assert.Equal((5, 4.0, 1f), (results[2].Provenance.Steps, results[2].Provenance.Temperature, results[2].Provenance.Guidance));
        // Guidance 2.5 runs the guided pass, 1 does not: the outputs differ although seed and image are the same.
        Assert.NotEqual(results[0].AudioTokens, results[1].AudioTokens);
    }

    [Fact]
    public void The_demo_bundle_without_sampling_modes_still_loads()
    {
        using var model = EchoModel.Load(Path.Combine(EchoPipeline.Testing.RepoPaths.Root, "models", "echo-demo"));

        Assert.Equal("echo-demo-3", model.BundleId);
        Assert.InRange(model.DefaultsFor(GenerationMode.ImageToAudio).Guidance, 0, 30);
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
            "asked=steps:3,temperature:default,guidance:2.5 transformer=plain " +
            $"watermark=echo-wm/1 payload={result.Provenance.Watermark!.Payload} key={WatermarkKey.PublicDefault.Id}",
            wav.Info["ICMT"]);
        Assert.Equal(GenerationProvenance.Software, wav.Info["ISFT"]);
    }
}
