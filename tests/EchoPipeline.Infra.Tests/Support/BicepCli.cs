using System.Diagnostics;
using System.Reflection;

namespace EchoPipeline.Infra.Tests.Support;

/// <summary>
/// The Bicep CLI from the Azure.Bicep.CommandLine.linux-x64 package the test project downloads (its tools/ folder).
/// NuGet does not keep the execute bit, so it is set before the first run.
/// </summary>
internal static class BicepCli
{
    private static readonly Lazy<string> LazyPath = new(Locate);

    public static string Path => LazyPath.Value;

    /// <summary>Runs <c>bicep ARGS</c>; the exit code, stdout (what <c>--stdout</c> writes) and stderr (diagnostics).</summary>
    public static (int ExitCode, string Output, string Diagnostics) Run(params string[] arguments)
    {
        var start = new ProcessStartInfo(Path) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = InfraFiles.Path(".") };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The CLI is a .NET app; this machine need not have ICU.
        start.Environment["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', arguments)} ran over 3 minutes.");
        }

        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    private static string Locate()
    {
        var path = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BicepCli").Value!;
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The Bicep CLI is missing at {path}: restore tests/EchoPipeline.Infra.Tests (its PackageDownload brings it).");
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }

        return path;
    }
}
