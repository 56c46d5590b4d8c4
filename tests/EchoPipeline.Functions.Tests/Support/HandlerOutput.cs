using EchoPipeline.Testing;

namespace EchoPipeline.Functions.Tests.Support;

/// <summary>The handler project's build output for the configuration these tests were built in.</summary>
public static class HandlerOutput
{
    public static string Folder
    {
        get
        {
            var tests = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)); // .../bin/{Configuration}/net10.0
            return Path.Combine(RepoPaths.Root, "functions", "EchoPipeline.Functions", "bin", tests.Parent!.Name, tests.Name);
        }
    }
}
