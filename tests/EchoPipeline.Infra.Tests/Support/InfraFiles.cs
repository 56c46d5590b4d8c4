using EchoPipeline.Testing;

namespace EchoPipeline.Infra.Tests.Support;

/// <summary>The deployment files under test, read as text from the checkout.</summary>
internal static class InfraFiles
{
    public static string Path(params string[] parts) => System.IO.Path.Combine([RepoPaths.Root, .. parts]);

    public static string Read(params string[] parts) => File.ReadAllText(Path(parts));

    public static string Functions => Read("infra", "app", "functions.bicep");

    public static string Worker => Read("infra", "app", "worker.bicep");

    public static string Storage => Read("infra", "app", "storage.bicep");

    public static string Events => Read("infra", "app", "events.bicep");

    public static string Main => Read("infra", "main.bicep");

    public static string AzureYaml => Read("azure.yaml");

    /// <summary>Every Bicep and parameter file of the template, keyed by its path under the repository root.</summary>
    public static IReadOnlyDictionary<string, string> All()
    {
        var root = RepoPaths.Root;
        return Directory.EnumerateFiles(Path("infra"), "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".bicep", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal))
            .Append(Path("azure.yaml"))
            .ToDictionary(f => System.IO.Path.GetRelativePath(root, f), File.ReadAllText);
    }
}
