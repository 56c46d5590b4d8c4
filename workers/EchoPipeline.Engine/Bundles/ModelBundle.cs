using System.Security.Cryptography;
using EchoPipeline.Engine.Audio;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;

namespace EchoPipeline.Engine.Bundles;

/// <summary>
/// A loaded model bundle: its validated manifest and one ONNX session per component (for the transformer, one per graph
/// its execution provider runs: <see cref="TransformerChoice"/>). Loading checks the manifest,
/// every file's SHA-256 and every session's signature, and fails with a <see cref="BundleLoadException"/> naming the
/// file and the mismatch. Disposing the bundle disposes its sessions.
/// </summary>
public sealed class ModelBundle : IDisposable
{
    private readonly Dictionary<ComponentKind, InferenceSession> _sessions;
    private readonly Dictionary<string, InferenceSession> _transformers;
    private readonly List<string> _loadedFiles = [];

    private ModelBundle(
        string directory, BundleManifest manifest, string sha256, BundleExecutionProvider provider, Dictionary<ComponentKind, InferenceSession> sessions,
        TransformerGraphChoice transformerChoice, Dictionary<string, InferenceSession> transformers)
    {
        Directory = directory;
        Manifest = manifest;
        Sha256 = sha256;
        ExecutionProvider = provider;
        _sessions = sessions;
        TransformerChoice = transformerChoice;
        _transformers = transformers;
        MelParameters = BundleMel.ToMelParameters(manifest.Audio);
    }

    public string Directory { get; }

    public string Id => Manifest.Id;

    /// <summary>SHA-256 (lowercase hex) of <c>bundle.json</c>, which pins every component's hash: the bundle's identity.</summary>
    public string Sha256 { get; }

    public BundleManifest Manifest { get; }

    /// <summary>The audio front end of the manifest, for the mel pipeline and Griffin-Lim.</summary>
    public MelParameters MelParameters { get; }

    /// <summary>The provider the sessions run on (CPU when CUDA was asked for and the fallback was allowed).</summary>
    public BundleExecutionProvider ExecutionProvider { get; }

    /// <summary>Most threads for the engine's own CPU work: a positive <see cref="BundleLoadOptions.IntraOpNumThreads"/>, else -1 (every core).</summary>
    public int CpuThreads { get; private init; } = -1;

    public InferenceSession ImageEncoder => _sessions[ComponentKind.ImageEncoder];

    /// <summary>The transformer graph that serves every mode (a batch mixing modes runs it); on the CPU <c>components.transformer</c>.</summary>
    public InferenceSession Transformer => _transformers[TransformerChoice.Mixed];

    /// <summary>Which transformer graph each kind of batch runs (docs/models.md "GPU variants").</summary>
    public TransformerGraphChoice TransformerChoice { get; }

    /// <summary>The loaded transformer graphs by name (<see cref="TransformerGraphs.Plain"/> or a variant's name).</summary>
    public IReadOnlyDictionary<string, InferenceSession> TransformerGraphSessions => _transformers;

    /// <summary>The ONNX files the sessions were made from (their sizes approximate the weights the sessions hold).</summary>
    public IReadOnlyList<string> LoadedFiles => _loadedFiles;

    public InferenceSession AudioDecoder => _sessions[ComponentKind.AudioDecoder];

    public InferenceSession? AudioEncoder => Session(ComponentKind.AudioEncoder);

    public InferenceSession? ImageDecoder => Session(ComponentKind.ImageDecoder);

    public InferenceSession? Vocoder => Session(ComponentKind.Vocoder);

    public bool HasAudioEncoder => AudioEncoder is not null;

    public bool HasImageDecoder => ImageDecoder is not null;

    public bool HasVocoder => Vocoder is not null;

    /// <summary>The session of a component, or null for an absent optional one.</summary>
    public InferenceSession? Session(ComponentKind kind) => kind == ComponentKind.Transformer ? Transformer : _sessions.GetValueOrDefault(kind);

    public static Task<ModelBundle> LoadAsync(string directory, BundleLoadOptions? options = null, ILogger? logger = null, CancellationToken cancellationToken = default) =>
        Task.Run(() => Load(directory, options, logger, cancellationToken), cancellationToken);

    public static ModelBundle Load(string directory, BundleLoadOptions? options = null, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        options ??= new BundleLoadOptions();
        logger ??= NullLogger.Instance;
        directory = Path.GetFullPath(directory);
        var manifestPath = Path.Combine(directory, BundleManifest.FileName);
        if (!File.Exists(manifestPath))
        {
            throw new BundleLoadException(manifestPath, System.IO.Directory.Exists(directory) ? "the bundle has no manifest." : "the bundle folder does not exist.");
        }

        var manifestBytes = File.ReadAllBytes(manifestPath);
        var manifest = ManifestReader.Parse(manifestBytes, manifestPath);
        var files = ComponentFiles.Verify(directory, manifest, cancellationToken);

        var factory = new SessionFactory(options, logger);
        var sessions = new Dictionary<ComponentKind, InferenceSession>();
        var transformers = new Dictionary<string, InferenceSession>();
        var loaded = new List<string>();
        TransformerGraphChoice? choice = null;
        try
        {
            // In manifest order; the image encoder comes first, so its session settles the provider the transformer's
            // graph is chosen for.
            foreach (var (kind, path) in files)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (kind == ComponentKind.Transformer)
                {
                    choice = LoadTransformerGraphs(directory, manifest, path, options, factory, transformers, loaded);
                }
                else
                {
                    sessions.Add(kind, CreateChecked(factory, path, manifest.Components[kind]!, $"components.{ComponentContracts.Key(kind)}"));
                    loaded.Add(path);
                }
            }
        }
        catch
        {
            foreach (var session in sessions.Values.Concat(transformers.Values))
            {
                session.Dispose();
            }

            throw;
        }

        var bundle = new ModelBundle(directory, manifest, Convert.ToHexStringLower(SHA256.HashData(manifestBytes)), factory.Provider, sessions, choice ?? throw new InvalidOperationException("the manifest has no transformer."), transformers)
        {
            CpuThreads = options.IntraOpNumThreads is > 0 and var threads ? threads : -1,
        };
        bundle._loadedFiles.AddRange(loaded);
        BundleLog.Loaded(logger, bundle.Id, bundle.Sha256, directory, bundle.ExecutionProvider, string.Join(", ", files.Select(f => f.Kind)));
        BundleLog.TransformerGraphs(logger, bundle.Id, bundle.ExecutionProvider, options.TransformerVariant is { } named ? $"TransformerVariant {named}" : "picked by provider", bundle.TransformerChoice);
        return bundle;
    }

    /// <summary>
    /// Chooses the transformer graphs for the provider the factory settled on and opens each (checked like a component):
    /// <c>components.transformer</c> at <paramref name="plainPath"/>, or a variant's file.
    /// </summary>
    private static TransformerGraphChoice LoadTransformerGraphs(
        string directory, BundleManifest manifest, string plainPath, BundleLoadOptions options, SessionFactory factory,
        Dictionary<string, InferenceSession> transformers, List<string> loaded)
    {
        var variants = manifest.Variants?.Transformer ?? [];
        if (options.TransformerVariant is { } forced && forced != TransformerGraphs.Plain && variants.All(v => v.Name != forced))
        {
            var listed = variants.Count == 0 ? "none" : string.Join(", ", variants.Select(v => v.Name));
            throw new BundleLoadException(
                Path.Combine(directory, BundleManifest.FileName),
                $"TransformerVariant \"{forced}\" is not in variants.transformer (it lists {listed}); use one of those or \"{TransformerGraphs.Plain}\".");
        }

        var choice = TransformerGraphs.Choose(variants, factory.Provider, options.TransformerVariant);
        foreach (var graph in choice.Graphs)
        {
            var index = variants.ToList().FindIndex(v => v.Name == graph);
            var (spec, field) = index < 0
                ? (manifest.Components.Transformer, "components.transformer")
                : (variants[index].AsComponent(), $"variants.transformer[{index}]");
            var path = index < 0 ? plainPath : ComponentFiles.Verify(directory, spec, field);
            transformers.Add(graph, CreateChecked(factory, path, spec, field));
            loaded.Add(path);
        }

        return choice;
    }

    /// <summary>A session whose signature matches the manifest's entry; on a mismatch the session is disposed and the load fails.</summary>
    private static InferenceSession CreateChecked(SessionFactory factory, string path, ComponentSpec spec, string field)
    {
        var session = factory.Create(path);
        var mismatches = SessionSignature.Mismatches(session, spec);
        if (mismatches.Count > 0)
        {
            session.Dispose();
            throw new BundleLoadException(path, $"does not match {field} in {BundleManifest.FileName}: {string.Join(" ", mismatches)}");
        }

        return session;
    }

    public void Dispose()
    {
        foreach (var session in _sessions.Values.Concat(_transformers.Values))
        {
            session.Dispose();
        }
    }
}
