using EchoPipeline.Engine.Bundles;
using EchoPipeline.Engine.Components;
using EchoPipeline.Engine.Generation;
using EchoPipeline.Engine.Generation.Noise;
using EchoPipeline.Engine.Generation.Unmasking;
using EchoPipeline.Engine.Tests.Generation;
using Xunit.Abstractions;

namespace EchoPipeline.Engine.Tests.Bundles;

/// <summary>
/// The transformer variants of bundle.json (docs/models.md "GPU variants"), on the exported-small bundle, which
/// tools/make_exported_fixture.py exports with <c>--variants cuda</c>: the fused float16 graph and its audio-only
/// twin. The pick for CUDA is tested at its seam (no GPU here); the graphs themselves run on ONNX Runtime's CPU
/// provider, which implements com.microsoft MultiHeadAttention and float16.
/// </summary>
public sealed class TransformerVariantTests(ITestOutputHelper output)
{
    private const string Fused = "cuda-fp16-fused";
    private const string FusedAudio = "cuda-fp16-fused-audio";

    private static readonly BundleManifest Manifest = ManifestReader.Read(Path.Combine(TempBundle.ExportedSmallDirectory, BundleManifest.FileName));

    private static IReadOnlyList<TransformerVariant> Variants => Manifest.Variants!.Transformer!;

    [Fact]
    public void The_exported_bundle_lists_the_fused_graph_and_its_audio_only_twin_for_cuda()
    {
        Assert.Equal([Fused, FusedAudio], Variants.Select(v => v.Name));
        Assert.All(Variants, v => Assert.Equal(["CUDAExecutionProvider"], v.ExecutionProviders));
        Assert.Equal(["audio_logits", "image_logits"], Variants[0].Outputs.Select(t => t.Name));
        Assert.Equal(["audio_logits"], Variants[1].Outputs.Select(t => t.Name));
        Assert.Equal(["imageToAudio"], Variants[1].Modes);
    }

    [Fact]
    public void On_cuda_image_to_audio_batches_run_the_audio_only_graph_and_every_other_batch_the_fused_one()
    {
        var choice = TransformerGraphs.Choose(Variants, BundleExecutionProvider.Cuda);

        Assert.Equal(FusedAudio, choice.For([GenerationMode.ImageToAudio, GenerationMode.ImageToAudio]));
        Assert.Equal(Fused, choice.For([GenerationMode.AudioToImage]));
        Assert.Equal(Fused, choice.For([GenerationMode.CoGeneration]));
        Assert.Equal(Fused, choice.For([GenerationMode.ImageToAudio, GenerationMode.AudioToImage]));
        Assert.Equal([FusedAudio, Fused], choice.Graphs);
    }

    [Fact]
    public void On_the_cpu_every_batch_runs_the_plain_graph()
    {
        var choice = TransformerGraphs.Choose(Variants, BundleExecutionProvider.Cpu);

        Assert.All(Enum.GetValues<GenerationMode>(), mode => Assert.Equal(TransformerGraphs.Plain, choice.For([mode])));
        Assert.Equal([TransformerGraphs.Plain], choice.Graphs);
    }

    [Fact]
    public void The_order_of_the_list_does_not_decide_for_image_to_audio_but_does_among_equals()
    {
        var reversed = Variants.Reverse().ToArray();
        var second = Variants[0] with { Name = "cuda-fp16-fused-copy" };

        Assert.Equal(FusedAudio, TransformerGraphs.Pick(reversed, BundleExecutionProvider.Cuda, [GenerationMode.ImageToAudio])!.Name);
        Assert.Equal(Fused, TransformerGraphs.Pick([.. Variants, second], BundleExecutionProvider.Cuda, [GenerationMode.CoGeneration])!.Name);
        Assert.Equal("cuda-fp16-fused-copy", TransformerGraphs.Pick([second, .. Variants], BundleExecutionProvider.Cuda, [GenerationMode.CoGeneration])!.Name);
    }

    [Fact]
    public void A_variant_for_another_provider_or_other_modes_is_not_picked()
    {
        var tensorRt = Variants[0] with { ExecutionProviders = ["TensorrtExecutionProvider"] };
        var audioOnly = Variants[1];

        Assert.Null(TransformerGraphs.Pick([tensorRt], BundleExecutionProvider.Cuda, [GenerationMode.ImageToAudio]));
        Assert.Null(TransformerGraphs.Pick([audioOnly], BundleExecutionProvider.Cuda, [GenerationMode.AudioToImage]));
        Assert.Null(TransformerGraphs.Pick(null, BundleExecutionProvider.Cuda, [GenerationMode.ImageToAudio]));
    }

    [Fact]
    public void A_forced_variant_serves_its_modes_on_any_provider_and_plain_forces_the_plain_graph()
    {
        var audio = TransformerGraphs.Choose(Variants, BundleExecutionProvider.Cpu, FusedAudio);
        var plain = TransformerGraphs.Choose(Variants, BundleExecutionProvider.Cuda, TransformerGraphs.Plain);

        Assert.Equal(FusedAudio, audio.For([GenerationMode.ImageToAudio]));
        Assert.Equal(TransformerGraphs.Plain, audio.For([GenerationMode.AudioToImage]));
        Assert.Equal(TransformerGraphs.Plain, audio.Mixed);
        Assert.Equal([TransformerGraphs.Plain], plain.Graphs);
    }

    [Fact]
    public void Loading_on_the_cpu_opens_only_the_plain_graph()
    {
        using var bundle = ModelBundle.Load(TempBundle.ExportedSmallDirectory);

        Assert.Equal([TransformerGraphs.Plain], bundle.TransformerGraphSessions.Keys);
        Assert.Same(bundle.TransformerGraphSessions[TransformerGraphs.Plain], bundle.Transformer);
    }

    [Fact]
    public void The_fused_float16_graph_gives_the_plain_graphs_logits_within_the_float16_tolerance()
    {
        using var plain = EchoModel.Load(TempBundle.ExportedSmallDirectory);
        using var fused = EchoModel.Load(TempBundle.ExportedSmallDirectory, new BundleLoadOptions { TransformerVariant = Fused });
        Assert.Equal(Fused, fused.Transformer.Graph);

        var (expected, actual) = (Logits(plain.Transformer), Logits(fused.Transformer));

        // docs/models.md: float16 within 2e-3 of the largest logit, the same top token at 99% of positions.
        foreach (var modality in new[] { 0, 1 })
        {
            var (e, a) = (expected[modality], actual[modality]);
            var codebook = modality == 0 ? plain.Transformer.Audio.Codebook : plain.Transformer.Image.Codebook;
            var largest = e.Max(Math.Abs);
            var worst = e.Zip(a, (x, y) => Math.Abs(x - y)).Max();
            var positions = e.Length / codebook;
            var sameTop = Enumerable.Range(0, positions).Count(p => ArgMax(e, p, codebook) == ArgMax(a, p, codebook));
            output.WriteLine($"modality {modality}: max |fp16 - fp32| {worst:E2} (largest logit {largest:G4}); same top token at {sameTop}/{positions}");
            Assert.InRange(worst, 0, 2e-3 * largest);
            Assert.True(sameTop >= 0.99 * positions, $"the top token agrees at {sameTop} of {positions} positions");
        }
    }

    [Fact]
    public void The_audio_only_graph_gives_the_fused_graphs_audio_logits()
    {
        using var fused = EchoModel.Load(TempBundle.ExportedSmallDirectory, new BundleLoadOptions { TransformerVariant = Fused });
        using var audio = EchoModel.Load(TempBundle.ExportedSmallDirectory, new BundleLoadOptions { TransformerVariant = FusedAudio });
        var graph = audio.TransformerFor([GenerationMode.ImageToAudio]);
        Assert.Equal(FusedAudio, graph.Graph);
        Assert.False(graph.HasImageLogits);
        Assert.Equal(fused.Transformer.Image, graph.Image); // the image codebook came from the manifest

        var (expected, actual) = (Logits(fused.Transformer)[0], Logits(graph)[0]);

        var worst = expected.Zip(actual, (x, y) => Math.Abs(x - y)).Max();
        output.WriteLine($"max |audio-only - fused| over the audio logits {worst:E2}");
        Assert.InRange(worst, 0, 1e-5 * expected.Max(Math.Abs));
    }

    [Fact]
    public async Task Image_to_audio_on_the_forced_audio_graph_records_it_and_samples_the_plain_graphs_tokens_at_most_positions()
    {
        using var plain = EchoModel.Load(TempBundle.ExportedSmallDirectory);
        using var audio = EchoModel.Load(TempBundle.ExportedSmallDirectory, new BundleLoadOptions { TransformerVariant = FusedAudio });
        var request = new EchoRequest { Image = TinyModel.Picture(1), Seed = 3, Steps = 4 };

        var expected = (await new EchoGenerator(plain).GenerateAsync([request]))[0];
        var actual = (await new EchoGenerator(audio).GenerateAsync([request]))[0];

        Assert.Equal(TransformerGraphs.Plain, expected.Provenance.Transformer);
        Assert.Equal(FusedAudio, actual.Provenance.Transformer);
        Assert.Contains($" transformer={FusedAudio} ", actual.Provenance.ToString(), StringComparison.Ordinal);
        var same = expected.AudioTokens.Zip(actual.AudioTokens).Count(p => p.First == p.Second);
        output.WriteLine($"same audio token at {same} of {expected.AudioTokens.Length} positions");
        Assert.True(same >= 0.9 * expected.AudioTokens.Length, $"the float16 graph sampled the plain graph's token at {same} of {expected.AudioTokens.Length} positions");
    }

    [Fact]
    public void The_audio_only_graph_refuses_a_request_that_generates_an_image()
    {
        using var audio = EchoModel.Load(TempBundle.ExportedSmallDirectory, new BundleLoadOptions { TransformerVariant = FusedAudio });
        var graph = audio.TransformerFor([GenerationMode.ImageToAudio]);
        var request = new UnmaskRequest(
            ModalityTokens.Generate(graph.Audio.Length), ModalityTokens.Generate(graph.Image.Length), 2, 1, 1f, new SeededUnmaskNoise(1));

        var error = Assert.Throws<ArgumentException>(() => new GuidedUnmasker(graph).Run([request]));

        Assert.Contains("audio logits alone", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_variant_whose_outputs_break_the_contract_fails_the_load_naming_the_field()
    {
        using var copy = new TempBundle(TempBundle.ExportedSmallDirectory);
        copy.Variant(1)["outputs"]![0]!["shape"]![2] = 1000;
        copy.Save();

        var error = Assert.Throws<BundleLoadException>(() => ModelBundle.Load(copy.Directory));

        output.WriteLine(error.Message);
        Assert.Equal(copy.ManifestPath, error.FilePath);
        Assert.Contains("variants.transformer[1].outputs[0] is audio_logits float32 [\"batch\",265,1000]", error.Message, StringComparison.Ordinal);
        Assert.Contains("needs audio_logits float32 [\"batch\",265,1024]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_audio_only_variant_that_claims_other_modes_fails_the_load()
    {
        using var copy = new TempBundle(TempBundle.ExportedSmallDirectory);
        copy.Variant(1)["modes"] = new System.Text.Json.Nodes.JsonArray("imageToAudio", "coGeneration");
        copy.Save();

        var error = Assert.Throws<BundleLoadException>(() => ModelBundle.Load(copy.Directory));

        Assert.Contains("variants.transformer[1] has no image_logits, so it can serve only imageToAudio", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_modes_duplicate_names_and_provider_typos_are_each_reported()
    {
        using var copy = new TempBundle(TempBundle.ExportedSmallDirectory);
        copy.Variant(0)["modes"] = new System.Text.Json.Nodes.JsonArray("imageToSound");
        copy.Variant(0)["executionProviders"] = new System.Text.Json.Nodes.JsonArray("cuda");
        copy.Variant(1)["name"] = Fused;
        copy.Save();

        var error = Assert.Throws<BundleLoadException>(() => ModelBundle.Load(copy.Directory));

        Assert.Contains("variants.transformer[0].modes must list generation modes", error.Message, StringComparison.Ordinal);
        Assert.Contains("variants.transformer[0].executionProviders must list ONNX Runtime provider names", error.Message, StringComparison.Ordinal);
        Assert.Contains($"variants.transformer[1].name \"{Fused}\" is used by an earlier variant", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_variant_file_that_does_not_match_its_entry_fails_the_load_that_opens_it()
    {
        using var copy = new TempBundle(TempBundle.ExportedSmallDirectory);
        var file = (string)copy.Variant(0)["file"]!;
        File.Copy(copy.PathOf((string)copy.Variant(1)["file"]!), copy.PathOf(file), overwrite: true);
        copy.Variant(0)["sha256"] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(copy.PathOf(file))));
        copy.Save();

        var error = Assert.Throws<BundleLoadException>(() => ModelBundle.Load(copy.Directory, new BundleLoadOptions { TransformerVariant = Fused }));

        output.WriteLine(error.Message);
        Assert.Equal(copy.PathOf(file), error.FilePath);
        Assert.Contains("does not match variants.transformer[0]", error.Message, StringComparison.Ordinal);
        Assert.Contains("output 'image_logits' is missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_variant_file_with_the_wrong_hash_fails_the_load_that_opens_it()
    {
        using var copy = new TempBundle(TempBundle.ExportedSmallDirectory);
        var path = copy.PathOf((string)copy.Variant(1)["file"]!);
        File.AppendAllText(path, "x");

        var error = Assert.Throws<BundleLoadException>(() => ModelBundle.Load(copy.Directory, new BundleLoadOptions { TransformerVariant = FusedAudio }));

        Assert.Equal(path, error.FilePath);
        Assert.Contains("variants.transformer[1].sha256", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_forced_variant_the_bundle_does_not_have_is_named_with_the_ones_it_has()
    {
        var error = Assert.Throws<BundleLoadException>(() => ModelBundle.Load(TempBundle.ExportedSmallDirectory, new BundleLoadOptions { TransformerVariant = "cuda-int8" }));

        Assert.Contains($"TransformerVariant \"cuda-int8\" is not in variants.transformer (it lists {Fused}, {FusedAudio})", error.Message, StringComparison.Ordinal);
    }

    /// <summary>One run of two rows (all masked; an image guide and all masked) and the audio and image logits.</summary>
    private static float[][] Logits(VisualEchoesTransformer transformer)
    {
        using var batch = transformer.CreateBatch(2);
        batch.AudioTokens.Span.Fill(transformer.Audio.MaskId);
        var image = batch.ImageTokens.Span;
        for (var i = 0; i < image.Length; i++)
        {
            image[i] = i < transformer.Image.Length ? i * 37 % transformer.Image.Codebook : transformer.Image.MaskId;
        }

        batch.Run(CancellationToken.None);
        return [batch.AudioLogits.ToArray(), batch.ImageLogits.ToArray()];
    }

    private static int ArgMax(float[] logits, int position, int codebook)
    {
        var row = logits.AsSpan(position * codebook, codebook);
        var best = 0;
        for (var j = 1; j < row.Length; j++)
        {
            best = row[j] > row[best] ? j : best;
        }

        return best;
    }
}
