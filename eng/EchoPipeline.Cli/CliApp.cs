using System.CommandLine;
using EchoPipeline.Cli.Commands;

namespace EchoPipeline.Cli;

/// <summary>Builds the command tree; each subcommand lives in its own file under Commands/.</summary>
internal static class CliApp
{
    public static Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default)
    {
        var root = new RootCommand("EchoPipeline: turn silent video into sound with Visual Echoes.")
        {
            DemoCommand.Create(),
            SelfCheckCommand.Create(),
            ScoreCommand.Create(),
            BenchCommand.Create(),
            UploadCommand.Create(),
            StatusCommand.Create(),
            WatchCommand.Create(),
            EvalCommand.Create(),
            ChaosCommand.Create(),
            VerifyCommand.Create(),
            BenchWatermarkCommand.Create(),
            BatchCommand.Create(),
            BenchBatchCommand.Create(),
        };
        // Ctrl-C / SIGTERM cancel the action's token; the process then waits up to a minute for the action to stop
        // what it started (workers get SIGTERM and a grace period, Azurite is stopped), not System.CommandLine's 2 s.
        return root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromMinutes(1) }, cancellationToken);
    }
}
