using System.Text.Json.Nodes;
using EchoPipeline.Engine.Bundles;
using EchoPipeline.Testing;
using Xunit.Abstractions;

namespace EchoPipeline.Engine.Tests.Bundles;

/// <summary>Each broken bundle fails to load with a message naming the file and the mismatch.</summary>
public sealed class BadBundleTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempBundle _copy = new();

    public void Dispose() => _copy.Dispose();

    [Fact]
    public void Missing_component_file_names_the_file()
    {
        File.Delete(_copy.PathOf("vocoder.onnx"));

        var error = Load();

        Assert.Equal(_copy.PathOf("vocoder.onnx"), error.FilePath);
        Assert.Contains("components.vocoder.file", error.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrong_hash_names_the_file_and_both_hashes()
    {
        var declared = (string)_copy.Component("audioDecoder")["sha256"]!;
        var bytes = File.ReadAllBytes(_copy.PathOf("audio_decoder.onnx"));
        bytes[^1] ^= 0x01;
        File.WriteAllBytes(_copy.PathOf("audio_decoder.onnx"), bytes);
        var actual = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));

        var error = Load();

        Assert.Equal(_copy.PathOf("audio_decoder.onnx"), error.FilePath);
        Assert.Contains(declared, error.Message, StringComparison.Ordinal);
        Assert.Contains(actual, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Transformer_with_the_wrong_token_length_names_tensor_and_both_shapes()
    {
        _copy.ReplaceComponent("transformer", RepoPaths.Fixture("bundles", "bad", "transformer_wrong_length.onnx"));

        var error = Load();

        Assert.Equal(_copy.PathOf("transformer.onnx"), error.FilePath);
        Assert.Contains("'audio_tokens' has shape [\"batch\",264], the manifest says [\"batch\",265]", error.Message, StringComparison.Ordinal);
        Assert.Contains("'audio_logits' has shape [\"batch\",264,64], the manifest says [\"batch\",265,64]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Transformer_with_float_tokens_names_the_element_types()
    {
        _copy.ReplaceComponent("transformer", RepoPaths.Fixture("bundles", "bad", "transformer_float_tokens.onnx"));

        var error = Load();

        Assert.Equal(_copy.PathOf("transformer.onnx"), error.FilePath);
        Assert.Contains("input 'audio_tokens' has element type float32, the manifest says int64", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("image_tokens", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Component_swapped_for_another_names_the_missing_tensors()
    {
        _copy.ReplaceComponent("vocoder", _copy.PathOf("audio_encoder.onnx"));

        var error = Load();

        Assert.Equal(_copy.PathOf("vocoder.onnx"), error.FilePath);
        Assert.Contains("output 'waveform' is missing; the model's outputs are audio_tokens", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Component_that_is_not_onnx_names_the_file()
    {
        var garbage = Path.Combine(_copy.Directory, "garbage.bin");
        File.WriteAllText(garbage, "not a model");
        _copy.ReplaceComponent("imageDecoder", garbage);

        var error = Load();

        Assert.Equal(_copy.PathOf("image_decoder.onnx"), error.FilePath);
        Assert.Contains("ONNX Runtime cannot load the model", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_json_names_the_manifest_and_the_line()
    {
        File.WriteAllText(_copy.ManifestPath, "{\n  \"formatVersion\": 1,\n  \"id\": \"x\"\n  \"license\": \"MIT\"\n}");

        var error = Load();

        Assert.Equal(_copy.ManifestPath, error.FilePath);
        Assert.Contains("malformed JSON (line 4", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2", "formatVersion is 2; this engine reads formatVersion 1")]
    [InlineData("\"1\"", "formatVersion is missing or not an integer")]
    public void Unknown_format_version_is_refused(string version, string expected)
    {
        _copy.Manifest["formatVersion"] = JsonNode.Parse(version);

        var error = Load(_copy.Save());

        Assert.Equal(_copy.ManifestPath, error.FilePath);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_required_component_names_it()
    {
        _copy.Manifest["components"]!.AsObject().Remove("imageEncoder");

        var error = Load(_copy.Save());

        Assert.Equal(_copy.ManifestPath, error.FilePath);
        Assert.Contains("components", error.Message, StringComparison.Ordinal);
        Assert.Contains("imageEncoder", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_required_field_names_its_path()
    {
        _copy.Manifest["tokens"]!["audio"]!.AsObject().Remove("codebookSize");

        var error = Load(_copy.Save());

        Assert.Contains("tokens.audio", error.Message, StringComparison.Ordinal);
        Assert.Contains("codebookSize", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Field_of_the_wrong_type_names_its_path()
    {
        _copy.Manifest["sampling"]!["steps"] = "thirty";

        var error = Load(_copy.Save());

        Assert.Contains("sampling.steps", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Inconsistent_facts_are_all_listed()
    {
        _copy.Manifest["tokens"]!["image"]!["maskId"] = 47;
        _copy.Manifest["audio"]!["samples"] = 220500;
        _copy.Manifest["sampling"]!["steps"] = 0;

        var error = Load(_copy.Save());

        Assert.Contains("tokens.image.maskId must equal codebookSize (48), got 47.", error.Message, StringComparison.Ordinal);
        Assert.Contains("audio.samples must be frames * hopLength = 217088, got 220500.", error.Message, StringComparison.Ordinal);
        Assert.Contains("sampling.steps must be in 1..256, got 0.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Declared_signature_must_follow_the_token_grid()
    {
        _copy.Component("transformer")["outputs"]![0]!["shape"] = new JsonArray("batch", 265, 1024);

        var error = Load(_copy.Save());

        Assert.Equal(_copy.ManifestPath, error.FilePath);
        Assert.Contains("components.transformer.outputs[0] is audio_logits float32 [\"batch\",265,1024], the contract (from tokens/audio) needs audio_logits float32 [\"batch\",265,64]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Grid_that_disagrees_with_the_model_names_the_model_file()
    {
        // A consistent manifest (grid and declared shapes agree) that the ONNX file does not follow.
        _copy.Manifest["tokens"]!["audio"]!["grid"] = new JsonArray(5, 52);
        foreach (var key in new[] { "transformer", "audioDecoder", "audioEncoder" })
        {
            foreach (var tensor in _copy.Component(key)["inputs"]!.AsArray().Concat(_copy.Component(key)["outputs"]!.AsArray()))
            {
                var shape = tensor!["shape"]!.AsArray();
                if (tensor["name"]!.GetValue<string>().StartsWith("audio_", StringComparison.Ordinal))
                {
                    shape[1] = 260;
                }
            }
        }

        var error = Load(_copy.Save());

        Assert.Equal(_copy.PathOf("transformer.onnx"), error.FilePath);
        Assert.Contains("does not match components.transformer in bundle.json", error.Message, StringComparison.Ordinal);
        Assert.Contains("[\"batch\",265], the manifest says [\"batch\",260]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Component_path_outside_the_bundle_is_refused()
    {
        _copy.Component("vocoder")["file"] = "../vocoder.onnx";

        var error = Load(_copy.Save());

        Assert.Equal(_copy.ManifestPath, error.FilePath);
        Assert.Contains("components.vocoder.file must be a path inside the bundle folder", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_sampling_mode_that_is_not_a_generation_mode_is_named_with_the_modes_there_are()
    {
        _copy.Manifest["sampling"]!["modes"] = JsonNode.Parse("""{ "imageToAudio": { "guidance": 3 }, "textToAudio": { "guidance": 1 } }""");

        var error = Load(_copy.Save());

        Assert.Equal(_copy.ManifestPath, error.FilePath);
        Assert.Contains("sampling.modes.textToAudio is not a generation mode; the modes are imageToAudio, audioToImage, coGeneration.", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "imageToAudio": { "guidance": -1 } }""", "sampling.modes.imageToAudio.guidance must be in 0..30, got -1.")]
    [InlineData("""{ "audioToImage": { "steps": 0 } }""", "sampling.modes.audioToImage.steps must be in 1..256, got 0.")]
    [InlineData("""{ "coGeneration": { "temperature": 1000 } }""", "sampling.modes.coGeneration.temperature must be in 0..100, got 1000.")]
    public void A_mode_default_out_of_range_is_named_with_its_range(string modes, string expected)
    {
        _copy.Manifest["sampling"]!["modes"] = JsonNode.Parse(modes);

        Assert.Contains(expected, Load(_copy.Save()).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"softmax\"", "invalid manifest at sampling.guidanceSpace")]
    [InlineData("7", "sampling.guidanceSpace must be one of Logits, Probabilities, got 7.")]
    public void A_guidance_space_the_engine_does_not_know_is_named(string value, string expected)
    {
        _copy.Manifest["sampling"]!["guidanceSpace"] = JsonNode.Parse(value);

        Assert.Contains(expected, Load(_copy.Save()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_top_level_default_out_of_range_is_named()
    {
        _copy.Manifest["sampling"]!["guidance"] = 31;

        Assert.Contains("sampling.guidance must be in 0..30, got 31.", Load(_copy.Save()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_folder_or_manifest_is_named()
    {
        File.Delete(_copy.ManifestPath);
        Assert.Contains("the bundle has no manifest", Load().Message, StringComparison.Ordinal);

        var error = Assert.Throws<BundleLoadException>(() => ModelBundle.Load(Path.Combine(_copy.Directory, "nope")));
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
    }

    private BundleLoadException Load(TempBundle? bundle = null)
    {
        var error = Assert.Throws<BundleLoadException>(() => ModelBundle.Load((bundle ?? _copy).Directory));
        output.WriteLine(error.Message);
        return error;
    }
}
