using System.Security.Cryptography;

namespace EchoPipeline.Engine.Bundles;

/// <summary>Resolves each declared component to its file inside the bundle and checks its SHA-256.</summary>
internal static class ComponentFiles
{
    public static List<(ComponentKind Kind, string Path)> Verify(string directory, BundleManifest manifest, CancellationToken cancellationToken)
    {
        var files = new List<(ComponentKind, string)>();
        foreach (var kind in Enum.GetValues<ComponentKind>())
        {
            if (manifest.Components[kind] is not { } spec)
            {
                continue;
            }

            cancellationToken.ThrowIfCancellationRequested();
            files.Add((kind, Verify(directory, spec, $"components.{ComponentContracts.Key(kind)}")));
        }

        return files;
    }

    /// <summary>The full path of one file the manifest names at <paramref name="field"/>, after checking its SHA-256.</summary>
    public static string Verify(string directory, ComponentSpec spec, string field)
    {
        var root = Path.TrimEndingDirectorySeparator(directory) + Path.DirectorySeparatorChar;
        var path = Path.GetFullPath(Path.Combine(directory, spec.File));
        if (!path.StartsWith(root, StringComparison.Ordinal))
        {
            throw new BundleLoadException(Path.Combine(directory, BundleManifest.FileName), $"{field}.file \"{spec.File}\" points outside the bundle folder.");
        }

        if (!File.Exists(path))
        {
            throw new BundleLoadException(path, $"the file named by {field}.file in {BundleManifest.FileName} does not exist.");
        }

        string actual;
        using (var stream = File.OpenRead(path))
        {
            actual = Convert.ToHexStringLower(SHA256.HashData(stream));
        }

        if (!string.Equals(actual, spec.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new BundleLoadException(path, $"SHA-256 mismatch: {BundleManifest.FileName} ({field}.sha256) expects {spec.Sha256.ToLowerInvariant()}, the file has {actual}.");
        }

        return path;
    }
}
