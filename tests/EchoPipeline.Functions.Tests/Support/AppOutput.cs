using EchoPipeline.Testing;

namespace EchoPipeline.Functions.Tests.Support;

/// <summary>The Functions app's build output for the configuration these tests were built in: what the host would load.</summary>
public static class AppOutput
{
    public static string Folder
    {
        get
        {
            var tests = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)); // .../bin/{Configuration}/net10.0
            return Path.Combine(RepoPaths.Root, "functions", "EchoPipeline.Functions", "bin", tests.Parent!.Name, tests.Name);
        }
    }

    public static string File(string name) => Path.Combine(Folder, name);
}
