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

    private static (bool, string) OrtVersion()
    {
        try
        {
            return (true, OrtEnv.Instance().GetVersionString());
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or OnnxRuntimeException)
        {
            return (false, $"{e.GetBaseException().Message} Run eng/bootstrap.sh.");
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
