using EchoPipeline.Engine.Audio;
using EchoPipeline.Engine.Bundles;
using EchoPipeline.Engine.Components;
using EchoPipeline.Engine.Generation.Sampling;

namespace EchoPipeline.Engine.Generation;

/// <summary>
/// The loaded components of one bundle and the facts the engine needs from its manifest. Owns the components.
/// </summary>
public sealed class EchoModel : IDisposable
{
    public required string BundleId { get; init; }

    public required string BundleSha256 { get; init; }

    public required ImageTokenizer ImageTokenizer { get; init; }

    /// <summary>The transformer graph that serves every mode; batches mixing modes run it.</summary>
    public required VisualEchoesTransformer Transformer { get; init; }

    /// <summary>
    /// The graph a batch of a single mode runs where it differs from <see cref="Transformer"/> (on CUDA, image->audio
    /// batches run the graph without image logits). Chosen when the bundle loads (docs/models.md "GPU variants").
    /// </summary>
    public IReadOnlyDictionary<GenerationMode, VisualEchoesTransformer> SingleModeTransformers { get; init; } = new Dictionary<GenerationMode, VisualEchoesTransformer>();

    /// <summary>Every distinct transformer graph, for run times and disposal.</summary>
    public IEnumerable<VisualEchoesTransformer> TransformerGraphs => SingleModeTransformers.Values.Append(Transformer).Distinct();

    /// <summary>The graph a batch of these modes runs.</summary>
    public VisualEchoesTransformer TransformerFor(IEnumerable<GenerationMode> modes)
    {
        var distinct = modes.Distinct().Take(2).ToArray();
        return distinct.Length == 1 && SingleModeTransformers.TryGetValue(distinct[0], out var graph) ? graph : Transformer;
    }

    public required AudioDetokenizer AudioDetokenizer { get; init; }

    /// <summary>Most threads for the engine's own CPU work (<see cref="ModelBundle.CpuThreads"/>; -1: every core).</summary>
    public int CpuThreads { get; init; } = -1;

    /// <summary>The bundle's ONNX vocoder, or Griffin-Lim with <see cref="Mel"/>.</summary>
    public required IVocoder Vocoder { get; init; }

    /// <summary>Optional: needed for audio-to-image and for known audio given as a clip.</summary>
    public AudioTokenizer? AudioTokenizer { get; init; }

    /// <summary>Optional: needed for audio-to-image images (co-generation returns tokens without it).</summary>
    public ImageDetokenizer? ImageDetokenizer { get; init; }

    public required MelParameters Mel { get; init; }

    /// <summary>Time columns of the audio token grid (53 for 5x53): tokens r*Columns + c share column c.</summary>
    public required int AudioColumns { get; init; }

    /// <summary>The bundle's top-level sampling defaults (bundle.json <c>sampling</c>).</summary>
    public required SamplingSettings Defaults { get; init; }

    /// <summary>Per-mode defaults (<c>sampling.modes</c> over the top-level values); a mode missing here uses <see cref="Defaults"/>.</summary>
    public IReadOnlyDictionary<GenerationMode, SamplingSettings> ModeDefaults { get; init; } = new Dictionary<GenerationMode, SamplingSettings>();

    /// <summary>Where classifier-free guidance mixes the conditional and unconditional predictions (<c>sampling.guidanceSpace</c>).</summary>
    public GuidanceSpace GuidanceSpace { get; init; } = GuidanceSpace.Logits;

    /// <summary>What a request of <paramref name="mode"/> runs with where it leaves a parameter unset.</summary>
    public SamplingSettings DefaultsFor(GenerationMode mode) => ModeDefaults.GetValueOrDefault(mode) ?? Defaults;

    /// <summary>The bundle's say on the output watermark (absent from bundle.json: allowed).</summary>
    public BundleWatermark Watermark { get; init; } = new();

    /// <summary>Output samples per audio token column (848 frames / 53 columns * hop 256 = 4096).</summary>
    public int SamplesPerAudioColumn => Mel.OutputSamples / AudioColumns;

    /// <summary>Takes over a loaded bundle's sessions (disposing the model disposes them).</summary>
    public static EchoModel FromBundle(ModelBundle bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var manifest = bundle.Manifest;
        var imageCodebook = manifest.Tokens.Image.CodebookSize;
        var graphs = bundle.TransformerGraphSessions.ToDictionary(g => g.Key, g => new VisualEchoesTransformer(g.Value, g.Key, imageCodebook));
        var choice = bundle.TransformerChoice;
        return new EchoModel
        {
            BundleId = bundle.Id,
            BundleSha256 = bundle.Sha256,
            ImageTokenizer = new ImageTokenizer(bundle.ImageEncoder),
            Transformer = graphs[choice.Mixed],
            SingleModeTransformers = choice.SingleMode.Where(p => p.Value != choice.Mixed).ToDictionary(p => p.Key, p => graphs[p.Value]),
            AudioDetokenizer = new AudioDetokenizer(bundle.AudioDecoder),
            CpuThreads = bundle.CpuThreads,
            Vocoder = bundle.Vocoder is { } vocoder
                ? new OnnxVocoder(vocoder)
                : new GriffinLimVocoder(new GriffinLim(bundle.MelParameters, BundleMel.ToGriffinLimOptions(manifest.Audio) with { MaxDegreeOfParallelism = bundle.CpuThreads })),
            AudioTokenizer = bundle.AudioEncoder is { } encoder ? new AudioTokenizer(encoder) : null,
            ImageDetokenizer = bundle.ImageDecoder is { } decoder ? new ImageDetokenizer(decoder) : null,
            Mel = bundle.MelParameters,
            AudioColumns = manifest.Tokens.Audio.Grid[1],
            Defaults = new SamplingSettings(manifest.Sampling.Steps, manifest.Sampling.Temperature, (float)manifest.Sampling.Guidance),
            ModeDefaults = Bundles.ModeDefaults.Resolve(manifest.Sampling),
            GuidanceSpace = manifest.Sampling.GuidanceSpace,
            Watermark = manifest.Watermark ?? new BundleWatermark(),
        };
    }

    /// <summary>Loads and checks a bundle folder (see <see cref="ModelBundle.Load"/>) and wraps its components.</summary>
    public static EchoModel Load(string directory, BundleLoadOptions? options = null, CancellationToken cancellationToken = default) =>
        FromBundle(ModelBundle.Load(directory, options, cancellationToken: cancellationToken));

    public void Dispose()
    {
        ImageTokenizer.Dispose();
        foreach (var graph in TransformerGraphs)
        {
            graph.Dispose();
        }

        AudioDetokenizer.Dispose();
        (Vocoder as IDisposable)?.Dispose();
        AudioTokenizer?.Dispose();
        ImageDetokenizer?.Dispose();
    }
}
