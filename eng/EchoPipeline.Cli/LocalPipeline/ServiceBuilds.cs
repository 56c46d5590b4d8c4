namespace EchoPipeline.Cli.LocalPipeline;

/// <summary>
/// Where the worker was built: the CLI's project reference builds it in the same configuration
/// (bin/{Configuration}/{tfm}), so the CLI's own output folder names which one to use.
/// </summary>
internal static class ServiceBuilds
{
    public static string WorkerAssembly => Existing(Path.Combine(Output("workers", "EchoPipeline.Worker"), "EchoPipeline.Worker.dll"));

    private static string Output(string stage, string project)
    {
        var own = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)); // .../bin/{Configuration}/{tfm}
        return Path.Combine(RepoLayout.Root, stage, project, "bin", own.Parent!.Name, own.Name);
    }

    private static string Existing(string path) => File.Exists(path)
        ? path
        : throw new LocalPipelineException($"{path} is missing: build it with `dotnet build eng/EchoPipeline.Cli` (eng/echopipe does this).");
}
