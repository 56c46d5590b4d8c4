using System.Text.Json;
using EchoPipeline.Engine.Generation;
using EchoPipeline.Engine.Generation.Sampling;
using EchoPipeline.Engine.Generation.Unmasking;
using EchoPipeline.Testing;

namespace EchoPipeline.Engine.Tests.Generation.Unmasking;

/// <summary>
/// The engine's loop, fed the PyTorch reference's injected noise and running the tiny bundle's transformer in
/// ONNX Runtime, must reproduce the reference's tokens exactly (tests/fixtures/unmask/reference.json, written by
/// tools/make_test_bundle.py from the PyTorch modules of the same bundle).
/// </summary>
public sealed class ReferenceFixtureTests : IClassFixture<ReferenceFixtureTests.Model>
{
    private static readonly Lazy<JsonDocument> Reference = new(() =>
        JsonDocument.Parse(File.ReadAllBytes(RepoPaths.Fixture("unmask", "reference.json"))));

    private readonly Model _model;

    public ReferenceFixtureTests(Model model) => _model = model;

    public static TheoryData<string> Cases()
    {
        var names = new TheoryData<string>();
        foreach (var c in Reference.Value.RootElement.GetProperty("cases").EnumerateArray())
        {
            names.Add(c.GetProperty("name").GetString()!);
        }

        return names;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Reproduces_the_pytorch_reference_tokens(string name)
    {
        var c = Reference.Value.RootElement.GetProperty("cases").EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);
        var toAudio = c.GetProperty("direction").GetString() == "image_to_audio";
        var target = toAudio ? Modality.Audio : Modality.Image;
        var (steps, temperature, guidance) = (c.GetProperty("steps").GetInt32(), c.GetProperty("temperature").GetDouble(), (float)c.GetProperty("guidance").GetDouble());
        var guides = Longs2(c.GetProperty("guide_tokens"));
        var known = Longs2(c.GetProperty("known_target"));
        var uniforms = c.GetProperty("uniforms").Deserialize<double[][][]>()!;
        var gumbels = c.GetProperty("gumbels").Deserialize<double[][][]>()!;
        var space = c.GetProperty("guidance_space").GetString() == "probabilities" ? GuidanceSpace.Probabilities : GuidanceSpace.Logits;

        var requests = guides.Select((guide, b) => new UnmaskRequest(
            toAudio ? ModalityTokens.Complete(known[b]) : ModalityTokens.Guide(guide),
            toAudio ? ModalityTokens.Guide(guide) : ModalityTokens.Complete(known[b]),
            steps, temperature, guidance, new ArrayNoise(target, uniforms[b], gumbels[b]))).ToArray();
        var results = new GuidedUnmasker(_model.Echo.Transformer, space).Run(requests);

        var expected = Longs2(c.GetProperty("expected_tokens"));
        var counts = c.GetProperty("expected_masked_count_per_step").Deserialize<int[]>()!;
        for (var b = 0; b < requests.Length; b++)
        {
            Assert.Equal(counts, results[b].MaskedAfterStep(target));
            Assert.Equal(expected[b], results[b].Tokens(target));
        }
    }

    private static long[][] Longs2(JsonElement element) => element.Deserialize<long[][]>()!;

    /// <summary>The tiny bundle, loaded once for all cases.</summary>
    public sealed class Model : IDisposable
    {
        public EchoModel Echo { get; } = TinyModel.Load();

        public void Dispose() => Echo.Dispose();
    }
}
