using System.Reflection;
using System.Text.Json;
using System.Xml.Linq;
using EchoPipeline.Testing;

namespace EchoPipeline.Engine.Tests.OnnxRuntime;

/// <summary>What this test build was given of ONNX Runtime: its flavour, the package that flavour selects, and the
/// native files the build's deps.json lists.</summary>
internal static class OnnxRuntimePackage
{
    // deps.json lists a RID-specific build's natives under "native", a portable build's under "runtimeTargets".
    private static readonly string[] NativeAssetKinds = ["native", "runtimeTargets"];

    public static string Flavour { get; } = typeof(OnnxRuntimePackage).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "OnnxRuntimeFlavor").Value!;

    public static string ExpectedId => Flavour switch
    {
        "Cpu" => "Microsoft.ML.OnnxRuntime",
        "Gpu" => "Microsoft.ML.OnnxRuntime.Gpu.Linux",
        _ => throw new InvalidOperationException($"unknown OnnxRuntimeFlavor '{Flavour}'"),
    };

    /// <summary>The version Directory.Packages.props pins for a package.</summary>
    public static string PinnedVersion(string packageId) =>
        XDocument.Load(Path.Combine(RepoPaths.Root, "Directory.Packages.props"))
            .Descendants("PackageVersion")
            .Single(p => (string?)p.Attribute("Include") == packageId)
            .Attribute("Version")!.Value;

    /// <summary>"id/version" of every library in this build's deps.json that brings an ONNX Runtime native file.</summary>
    public static IReadOnlyList<string> LibrariesWithNatives()
    {
        var depsFile = Path.Combine(AppContext.BaseDirectory, $"{typeof(OnnxRuntimePackage).Assembly.GetName().Name}.deps.json");
        using var deps = JsonDocument.Parse(File.ReadAllText(depsFile));
        var libraries = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var target in deps.RootElement.GetProperty("targets").EnumerateObject())
        {
            foreach (var library in target.Value.EnumerateObject())
            {
                var files = NativeAssetKinds
                    .Where(kind => library.Value.TryGetProperty(kind, out _))
                    .SelectMany(kind => library.Value.GetProperty(kind).EnumerateObject().Select(f => Path.GetFileName(f.Name)));
                if (files.Any(f => f.Contains("onnxruntime", StringComparison.Ordinal)))
                {
                    libraries.Add(library.Name);
                }
            }
        }

        return [.. libraries];
    }
}
