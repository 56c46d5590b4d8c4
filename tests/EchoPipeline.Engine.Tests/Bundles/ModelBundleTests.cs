using System.Security.Cryptography;
using EchoPipeline.Engine.Bundles;
using EchoPipeline.Engine.Generation;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace EchoPipeline.Engine.Tests.Bundles;

public sealed class ModelBundleTests
{
    [Fact]
    public void Loads_the_tiny_bundle_with_all_six_components()
    {
        using var bundle = ModelBundle.Load(TempBundle.TinyDirectory);

        Assert.Equal("tiny-test", bundle.Id);
        Assert.Equal(BundleExecutionProvider.Cpu, bundle.ExecutionProvider);
        Assert.True(bundle.HasAudioEncoder);
        Assert.True(bundle.HasImageDecoder);
        Assert.True(bundle.HasVocoder);
        Assert.Equal(["audio_tokens", "image_tokens"], bundle.Transformer.InputNames);
        Assert.Equal(["audio_logits", "image_logits"], bundle.Transformer.OutputNames);
        Assert.Equal([-1, 265, 64], bundle.Transformer.OutputMetadata["audio_logits"].Dimensions);
        Assert.Equal([-1, 256, 48], bundle.Transformer.OutputMetadata["image_logits"].Dimensions);
        Assert.Equal(TensorElementType.Int64, bundle.ImageEncoder.OutputMetadata["image_tokens"].ElementDataType);
        Assert.Same(bundle.Vocoder, bundle.Session(ComponentKind.Vocoder));
    }

    [Fact]
    public void Reads_the_manifest_facts_of_the_paper_grids_and_front_end()
    {
        using var bundle = ModelBundle.Load(TempBundle.TinyDirectory);
        var m = bundle.Manifest;

        Assert.Equal([5, 53], m.Tokens.Audio.Grid);
        Assert.Equal(265, m.Tokens.Audio.Length);
        Assert.Equal(64, m.Tokens.Audio.MaskId);
        Assert.Equal(256, m.Tokens.Image.Length);
        Assert.Equal(48, m.Tokens.Image.CodebookSize);
        Assert.Equal((30, 9.0, 3.0), (m.Sampling.Steps, m.Sampling.Temperature, m.Sampling.Guidance));
        // The assembler's paper default: no guidance for image generation (DESIGN §3).
        Assert.Equal(["audioToImage", "coGeneration"], m.Sampling.Modes!.Keys.Order(StringComparer.Ordinal));
        Assert.All(m.Sampling.Modes.Values, mode => Assert.Equal(new ModeSamplingDefaults(Guidance: 1), mode));
        Assert.Equal(1234, m.Provenance.Seed);
        Assert.Null(m.Provenance.CreatedAt);
        Assert.Equal("transformer.onnx", m.Components.Transformer.File);
    }

    [Fact]
    public void Maps_the_dB_range_onto_the_mel_normalisation_of_DESIGN()
    {
        using var bundle = ModelBundle.Load(TempBundle.TinyDirectory);
        var mel = bundle.MelParameters;

        // DESIGN §3: x = (20*log10(mel) - 20 + 100) / 100, i.e. -80..+20 dB onto 0..1.
        Assert.Equal(20, mel.ReferenceDb);
        Assert.Equal(100, mel.DynamicRangeDb);
        Assert.Equal((22050, 1024, 256, 80, 125.0, 7600.0), (mel.SampleRate, mel.NFft, mel.HopLength, mel.MelBins, mel.FMin, mel.FMax));
        Assert.Equal((860, 848, 217088), (mel.FramesBeforeCrop, mel.Frames, mel.OutputSamples));
        Assert.Equal((32, 0.99), (bundle.Manifest.Audio.GriffinLim.Iterations, bundle.Manifest.Audio.GriffinLim.Momentum));
    }

    [Fact]
    public void Identifies_the_bundle_by_the_hash_of_its_manifest()
    {
        using var bundle = ModelBundle.Load(TempBundle.TinyDirectory);
        var expected = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(TempBundle.TinyDirectory, "bundle.json"))));

        Assert.Equal(expected, bundle.Sha256);
        Assert.Matches("^[0-9a-f]{64}$", bundle.Sha256);
    }

    [Fact]
    public void Bundle_hash_does_not_depend_on_where_the_bundle_lies_but_on_its_contents()
    {
        using var original = ModelBundle.Load(TempBundle.TinyDirectory);
        using var copy = new TempBundle();
        using (var moved = ModelBundle.Load(copy.Directory))
        {
            Assert.Equal(original.Sha256, moved.Sha256);
        }

        copy.Manifest["components"]!.AsObject().Remove("vocoder");
        using var changed = ModelBundle.Load(copy.Save().Directory);
        Assert.NotEqual(original.Sha256, changed.Sha256);
    }

    [Fact]
    public void Loads_without_the_optional_components()
    {
        using var copy = new TempBundle();
        foreach (var key in new[] { "audioEncoder", "imageDecoder", "vocoder" })
        {
            copy.Manifest["components"]!.AsObject().Remove(key);
        }

        using var bundle = ModelBundle.Load(copy.Save().Directory);

        Assert.False(bundle.HasAudioEncoder);
        Assert.False(bundle.HasImageDecoder);
        Assert.False(bundle.HasVocoder);
        Assert.Null(bundle.Session(ComponentKind.AudioEncoder));
        Assert.NotNull(bundle.AudioDecoder);
    }

    [Fact]
    public void Sessions_do_not_spin_unless_asked_and_load_either_way()
    {
        Assert.Equal([new("session.intra_op.allow_spinning", "0")], SessionFactory.ConfigEntries(new BundleLoadOptions()));
        Assert.Empty(SessionFactory.ConfigEntries(new BundleLoadOptions { IntraOpSpinning = true }));
        foreach (var spinning in new[] { false, true })
        {
            using var bundle = ModelBundle.Load(TempBundle.TinyDirectory, new BundleLoadOptions { IntraOpSpinning = spinning });
            Assert.Equal("tiny-test", bundle.Id);
        }
    }

    [Theory]
    [InlineData(null, -1)]
    [InlineData(0, -1)]
    [InlineData(3, 3)]
    public void The_engine_keeps_its_own_cpu_work_to_the_sessions_intra_op_thread_count(int? intraOpThreads, int expected)
    {
        using var model = EchoModel.Load(TempBundle.TinyDirectory, new BundleLoadOptions { IntraOpNumThreads = intraOpThreads });

        Assert.Equal(expected, model.CpuThreads);
    }

    [Fact]
    public async Task Loads_asynchronously_and_honours_cancellation()
    {
        using var bundle = await ModelBundle.LoadAsync(TempBundle.TinyDirectory, new BundleLoadOptions { IntraOpNumThreads = 1 });
        Assert.Equal("tiny-test", bundle.Id);

        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ModelBundle.LoadAsync(TempBundle.TinyDirectory, cancellationToken: cancelled.Token));
    }
}
