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
            VerifyCommand.Create(),
            BenchWatermarkCommand.Create(),
        };
        return root.Parse(args).InvokeAsync(cancellationToken: cancellationToken);
    }
}
