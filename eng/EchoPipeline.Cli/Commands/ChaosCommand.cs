using System.CommandLine;
using EchoPipeline.Cli.Chaos;
using EchoPipeline.Cli.LocalPipeline;

namespace EchoPipeline.Cli.Commands;

/// <summary>
/// `chaos`: the local pipeline under injected faults (issue 15). Progress goes to stderr; stdout gets only the
/// <c>name: value</c> figures, so a pipe or a test can read them. Exits 1 when anything was lost.
/// </summary>
internal static class ChaosCommand
{
    public static Command Create()
    {
        var jobs = new Option<int>("--jobs") { Description = "Jobs to submit.", DefaultValueFactory = _ => 16 };
        var workers = new Option<int>("--workers") { Description = "Worker processes (kept at this number: each killed one is replaced).", DefaultValueFactory = _ => 3 };
        var bundle = new Option<DirectoryInfo?>("--bundle") { Description = "Model bundle folder (default: models/echo-demo, else the tiny test bundle)." };
        var timeout = new Option<int>("--timeout") { Description = "Seconds to wait for the jobs, then again for the webhooks.", DefaultValueFactory = _ => 300 };
        var command = new Command("chaos", "Run the local pipeline while killing workers, poisoning the queue, duplicating events, overwriting a source and " +
            "taking the webhook receiver down; print what was lost.")
        {
            jobs, workers, bundle, timeout,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(jobs) is < 1 or > 500 || parse.GetValue(workers) is < 1 or > 16 || parse.GetValue(timeout) < 1)
            {
                await Console.Error.WriteLineAsync("chaos: --jobs must be 1-500, --workers 1-16, --timeout at least 1.");
                return ExitCodes.UsageError;
            }

            var settings = new ChaosSettings(parse.GetValue(jobs), parse.GetValue(workers), ScoreCommand.BundlePath(parse.GetValue(bundle)), TimeSpan.FromSeconds(parse.GetValue(timeout)));
            return await RunAsync(settings, Console.Out, Console.Error, cancellationToken);
        });
        return command;
    }

    internal static async Task<int> RunAsync(ChaosSettings settings, TextWriter output, TextWriter progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        try
        {
            var figures = await ChaosRunner.RunAsync(settings, TimeProvider.System, new LineProgress(progress), cancellationToken);
            foreach (var (name, value) in figures.Lines())
            {
                await output.WriteLineAsync($"{name}: {value}");
            }

            return figures.AnythingLost ? ExitCodes.SomeInputsFailed : ExitCodes.Success;
        }
        catch (LocalPipelineException e)
        {
            await progress.WriteLineAsync($"chaos: {e.Message}");
            return e.ExitCode;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await progress.WriteLineAsync("chaos: cancelled; the local pipeline was stopped.");
            return ExitCodes.Cancelled;
        }
    }

    // Plain lines in order (Progress<T> would post them to the thread pool); the writer is shared by several tasks.
    private sealed class LineProgress(TextWriter writer) : IProgress<string>
    {
        private readonly TextWriter _writer = TextWriter.Synchronized(writer);

        public void Report(string value) => _writer.WriteLine($"chaos: {value}");
    }
}
