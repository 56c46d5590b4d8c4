using System.Security.Cryptography;
using System.Text.Json.Nodes;
using EchoPipeline.Testing;

namespace EchoPipeline.Engine.Tests.Bundles;

/// <summary>A scratch copy of a fixture bundle (default: the tiny one) that a test may break; deleted on dispose.</summary>
internal sealed class TempBundle : IDisposable
{
    public static readonly string TinyDirectory = RepoPaths.Fixture("bundles", "tiny");

    /// <summary>The bundle the toolkit exports, with its CUDA transformer variants.</summary>
    public static readonly string ExportedSmallDirectory = RepoPaths.Fixture("bundles", "exported-small");

    public TempBundle(string? source = null)
    {
        Directory = Path.Combine(Path.GetTempPath(), "echo-bundle-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        foreach (var file in System.IO.Directory.GetFiles(source ?? TinyDirectory))
        {
            File.Copy(file, Path.Combine(Directory, Path.GetFileName(file)));
        }

        Manifest = JsonNode.Parse(File.ReadAllText(ManifestPath))!.AsObject();
    }

    public string Directory { get; }

    public string ManifestPath => Path.Combine(Directory, "bundle.json");

    /// <summary>The manifest as JSON; edits take effect on <see cref="Save"/>.</summary>
    public JsonObject Manifest { get; }

    public JsonObject Component(string key) => Manifest["components"]![key]!.AsObject();

    /// <summary>The entry of <c>variants.transformer</c> at <paramref name="index"/>.</summary>
    public JsonObject Variant(int index) => Manifest["variants"]!["transformer"]![index]!.AsObject();

    public string PathOf(string file) => Path.Combine(Directory, file);

    public TempBundle Save()
    {
        File.WriteAllText(ManifestPath, Manifest.ToJsonString());
        return this;
    }

    /// <summary>Puts <paramref name="source"/> in place of a component's file and records its true hash, so only its signature is wrong.</summary>
    public TempBundle ReplaceComponent(string key, string source)
    {
        var file = (string)Component(key)["file"]!;
        File.Copy(source, PathOf(file), overwrite: true);
        Component(key)["sha256"] = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(source)));
        return Save();
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless; never fail a test on cleanup.
        }
    }
}
