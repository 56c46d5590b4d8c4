using System.CommandLine;
using EchoPipeline.Cli.LocalPipeline;
using EchoPipeline.Cli.Report;
using Spectre.Console;

namespace EchoPipeline.Cli.Commands;

/// <summary>
/// `demo`: the README's main job. Runs the serverless pipeline on this machine (Azurite, the ingest library in-process,
/// N worker processes on loopback), pushes the inputs through it as uploads + BlobCreated events, and writes outputs,
/// summary.json and an HTML report into the output folder.
/// </summary>
internal static class DemoCommand
{
    private static readonly string[] SampleFolders = ["videos", "images"];

    public static Command Create()
    {
        var inputs = new Option<DirectoryInfo?>("--inputs") { Description = "Folder of inputs (default: samples/videos and samples/images)." };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Output folder (default: out/demo)." };
        var workers = new Option<int>("--workers") { Description = "Worker processes.", DefaultValueFactory = _ => 2 };
        var bundle = new Option<DirectoryInfo?>("--bundle") { Description = "Model bundle folder (default: models/echo-demo, else the tiny test bundle)." };
        var timeout = new Option<int>("--timeout") { Description = "Seconds to wait for all jobs.", DefaultValueFactory = _ => 600 };
        var command = new Command("demo", "Run the whole pipeline locally on the bundled samples (or --inputs) into out/demo.")
        {
            inputs, output, workers, bundle, timeout,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(workers) is < 1 or > 16 || parse.GetValue(timeout) < 1)
            {
                await Console.Error.WriteLineAsync("demo: --workers must be 1-16, --timeout at least 1.");
                return ExitCodes.UsageError;
            }

            var files = InputFiles(parse.GetValue(inputs));
            if (files.Count == 0)
            {
                await Console.Error.WriteLineAsync($"demo: no input files in {parse.GetValue(inputs)?.FullName ?? "samples/videos or samples/images"}.");
                return ExitCodes.UsageError;
            }

            var settings = new DemoSettings(files, parse.GetValue(output)?.FullName ?? Path.Combine(RepoLayout.Root, "out", "demo"),
                ScoreCommand.BundlePath(parse.GetValue(bundle)), parse.GetValue(workers), TimeSpan.FromSeconds(parse.GetValue(timeout)));
            return await RunAsync(settings, cancellationToken);
        });
        return command;
    }

    internal static async Task<int> RunAsync(DemoSettings settings, CancellationToken cancellationToken)
    {
        try
        {
            var summary = await DemoRunner.RunAsync(settings, new ConsoleProgress(), cancellationToken);
            PrintTable(summary, settings.OutFolder);
            return summary.AllSucceeded ? ExitCodes.Success : ExitCodes.SomeInputsFailed;
        }
        catch (LocalPipelineException e)
        {
            await Console.Error.WriteLineAsync($"demo: {e.Message}");
            return e.ExitCode;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("demo: cancelled; the local pipeline was stopped.");
            return ExitCodes.Cancelled;
        }
    }

    /// <summary>Every file of the folder (not README.md, not hidden), sorted; by default the bundled samples.</summary>
    internal static IReadOnlyList<string> InputFiles(DirectoryInfo? folder)
    {
        var folders = folder is not null
            ? [folder.FullName]
            : SampleFolders.Select(f => Path.Combine(RepoLayout.Root, "samples", f)).ToArray();
        return [.. folders.Where(Directory.Exists)
            .SelectMany(f => Directory.EnumerateFiles(f).Order(StringComparer.Ordinal))
            .Where(f => !Path.GetFileName(f).StartsWith('.') && !Path.GetFileName(f).Equals("README.md", StringComparison.OrdinalIgnoreCase))];
    }

    private static void PrintTable(RunSummary summary, string outFolder)
    {
        var table = new Table().AddColumns("input", "status", "job", "outputs / error");
        foreach (var e in summary.Entries)
        {
            var color = e.Status == SummaryEntry.Succeeded ? "green" : "red";
            var detail = e.ErrorCode is null ? string.Join(", ", e.Outputs.Select(Path.GetFileName)) : $"{e.ErrorCode}: {e.ErrorMessage}";
            table.AddRow(Markup.Escape(e.Input), $"[{color}]{e.Status}[/]", Markup.Escape(e.JobId?[..8] ?? "-"), Markup.Escape(detail));
        }

        AnsiConsole.Write(table);
        var succeeded = summary.Entries.Count(e => e.Status == SummaryEntry.Succeeded);
        AnsiConsole.MarkupLine($"{succeeded}/{summary.Entries.Count} succeeded in {summary.Seconds:0.0} s. " +
            $"Report: {Markup.Escape(Path.Combine(outFolder, HtmlReport.FileName))}  summary: {Markup.Escape(Path.Combine(outFolder, DemoRunner.SummaryFileName))}");
    }

    // Progress<T> would post to the thread pool, so lines could print after the table; this prints in order.
    private sealed class ConsoleProgress : IProgress<string>
    {
        public void Report(string value) => AnsiConsole.MarkupLine($"[grey]{Markup.Escape(value)}[/]");
    }
}
