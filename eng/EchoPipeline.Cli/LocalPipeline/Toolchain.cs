using System.ComponentModel;
using System.Diagnostics;
using EchoPipeline.LocalServices;

namespace EchoPipeline.Cli.LocalPipeline;

/// <summary>The programs a local run needs, checked before anything starts so a missing one is one clear line.</summary>
internal static class Toolchain
{
    public static async Task EnsureAsync(CancellationToken cancellationToken)
    {
        foreach (var tool in new[] { "ffmpeg", "ffprobe" })
        {
            if (!await AnswersAsync(tool, cancellationToken).ConfigureAwait(false))
            {
                throw new LocalPipelineException($"{tool} is not installed or does not run: install it (`sudo apt-get install ffmpeg`, or run eng/bootstrap.sh).");
            }
        }

        var azurite = AzuriteServer.InstalledPath(RepoLayout.Root);
        if (!File.Exists(azurite))
        {
            throw new LocalPipelineException($"Azurite is not installed ({azurite} is missing): run eng/bootstrap.sh.");
        }
    }

    private static async Task<bool> AnswersAsync(string tool, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, ArgumentList = { "-hide_banner", "-version" } };
        try
        {
            using var process = Process.Start(start)!;
            await process.StandardOutput.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            return process.ExitCode == 0;
        }
        catch (Win32Exception)
        {
            return false;
        }
    }
}
