using EchoPipeline.LocalServices;

namespace EchoPipeline.Testing;

/// <summary>Locates the checkout the tests run from, so fixtures and tools are found by path.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    public static string Root => LazyRoot.Value;

    /// <summary>Azurite as eng/bootstrap.sh installs it.</summary>
    public static string Azurite => AzuriteServer.InstalledPath(Root);

    public static string Fixture(params string[] parts) =>
        Path.Combine([Root, "tests", "fixtures", .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EchoPipeline.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No EchoPipeline.sln above {AppContext.BaseDirectory}.");
    }
}
