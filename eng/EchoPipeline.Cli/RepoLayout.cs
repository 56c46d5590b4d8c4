namespace EchoPipeline.Cli;

/// <summary>Where the checkout is: eng/echopipe sets ECHOPIPE_ROOT; otherwise walk up from the binary.</summary>
internal static class RepoLayout
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("ECHOPIPE_ROOT");
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return fromEnvironment;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EchoPipeline.sln")))
            {
                return dir.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
