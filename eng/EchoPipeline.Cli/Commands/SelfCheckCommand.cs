using System.CommandLine;
using System.Diagnostics;
using EchoPipeline.LocalServices;
using Microsoft.ML.OnnxRuntime;

namespace EchoPipeline.Cli.Commands;

/// <summary>`selfcheck`: proves the toolchain works here (FFmpeg, Azurite, ONNX Runtime), one line each.</summary>
internal static class SelfCheckCommand
{
    public static Command Create()
    {
        var command = new Command("selfcheck", "Check that ffmpeg, ffprobe, Azurite and ONNX Runtime work on this machine.");
        command.SetAction(async (_, cancellationToken) => await RunAsync(cancellationToken));
        return command;
    }

    internal static async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        failures += Report("ffmpeg", await FirstLineAsync("ffmpeg", ["-hide_banner", "-version"], cancellationToken));
        failures += Report("ffprobe", await FirstLineAsync("ffprobe", ["-hide_banner", "-version"], cancellationToken));
        var azurite = AzuriteServer.InstalledPath(RepoLayout.Root);
        failures += Report("azurite", await FirstLineAsync(azurite, ["--version"], cancellationToken));
        failures += Report("onnxruntime", OrtVersion());
        return failures == 0 ? ExitCodes.Success : ExitCodes.EnvironmentMissing;
    }

    private static int Report(string tool, (bool Ok, string Detail) result)
    {
        Console.WriteLine($"{tool}: {(result.Ok ? "ok" : "FAILED")} ({result.Detail})");
        return result.Ok ? 0 : 1;
    }

    /// <summary>The native library's version and its execution providers, which tell a CPU build from a CUDA one.</summary>
    internal static (bool Ok, string Detail) OrtVersion()
    {
        try
        {
            var ort = OrtEnv.Instance();
            return (true, $"{ort.GetVersionString()}; {string.Join(", ", ort.GetAvailableProviders())}");
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or OnnxRuntimeException)
        {
            // The library comes from the Microsoft.ML.OnnxRuntime package into the build output, not from the bootstrap.
            return (false, $"{e.GetBaseException().Message} Rebuild the CLI (dotnet build restores ONNX Runtime from NuGet).");
        }
    }

    private static async Task<(bool, string)> FirstLineAsync(string file, string[] arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start)!;
            var output = await process.StandardOutput.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            var line = output.Split('\n', 2)[0].Trim();
            return process.ExitCode == 0 ? (true, line) : (false, $"{file} exited with {process.ExitCode}");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return (false, $"{file} not found. Run eng/bootstrap.sh.");
        }
    }
}
