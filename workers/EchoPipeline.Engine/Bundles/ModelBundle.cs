using System.Security.Cryptography;
using EchoPipeline.Engine.Audio;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;

namespace EchoPipeline.Engine.Bundles;

/// <summary>
/// A loaded model bundle: its validated manifest and one ONNX session per component. Loading checks the manifest,
/// every file's SHA-256 and every session's signature, and fails with a <see cref="BundleLoadException"/> naming the
/// file and the mismatch. Disposing the bundle disposes its sessions.
/// </summary>
public sealed class ModelBundle : IDisposable
{
    private readonly Dictionary<ComponentKind, InferenceSession> _sessions;

    private ModelBundle(string directory, BundleManifest manifest, string sha256, BundleExecutionProvider provider, Dictionary<ComponentKind, InferenceSession> sessions)
    {
        Directory = directory;
        Manifest = manifest;
        Sha256 = sha256;
        ExecutionProvider = provider;
        _sessions = sessions;
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

    public InferenceSession ImageEncoder => _sessions[ComponentKind.ImageEncoder];

    public InferenceSession Transformer => _sessions[ComponentKind.Transformer];

    public InferenceSession AudioDecoder => _sessions[ComponentKind.AudioDecoder];

    public InferenceSession? AudioEncoder => Session(ComponentKind.AudioEncoder);

    public InferenceSession? ImageDecoder => Session(ComponentKind.ImageDecoder);

    public InferenceSession? Vocoder => Session(ComponentKind.Vocoder);

    public bool HasAudioEncoder => AudioEncoder is not null;

    public bool HasImageDecoder => ImageDecoder is not null;

    public bool HasVocoder => Vocoder is not null;

    /// <summary>The session of a component, or null for an absent optional one.</summary>
    public InferenceSession? Session(ComponentKind kind) => _sessions.GetValueOrDefault(kind);

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
        try
        {
            foreach (var (kind, path) in files)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var session = factory.Create(path);
                sessions.Add(kind, session);
                var mismatches = SessionSignature.Mismatches(session, manifest.Components[kind]!);
                if (mismatches.Count > 0)
                {
                    throw new BundleLoadException(path, $"does not match components.{ComponentContracts.Key(kind)} in {BundleManifest.FileName}: {string.Join(" ", mismatches)}");
                }
            }
        }
        catch
        {
            foreach (var session in sessions.Values)
            {
                session.Dispose();
            }

            throw;
        }

        var bundle = new ModelBundle(directory, manifest, Convert.ToHexStringLower(SHA256.HashData(manifestBytes)), factory.Provider, sessions);
        BundleLog.Loaded(logger, bundle.Id, bundle.Sha256, directory, bundle.ExecutionProvider, string.Join(", ", sessions.Keys));
        return bundle;
    }

    public void Dispose()
    {
        foreach (var session in _sessions.Values)
        {
            session.Dispose();
        }
    }
}
