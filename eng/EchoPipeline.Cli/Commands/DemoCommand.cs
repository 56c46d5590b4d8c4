using System.CommandLine;

namespace EchoPipeline.Cli.Commands;

/// <summary>
/// `demo`: the README's main job. Checks the toolchain, then scores the bundled samples with the default bundle.
/// Until the local serverless pipeline lands (Azurite + functions handler + workers), scoring runs in-process.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var inputs = new Option<DirectoryInfo>("--inputs") { Description = "Folder of inputs (default: samples/images)." };
        var output = new Option<DirectoryInfo>("--out") { Description = "Output folder (default: out/demo)." };
        var command = new Command("demo", "Check the toolchain, then score the bundled samples into out/demo.") { inputs, output };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var selfCheck = await SelfCheckCommand.RunAsync(cancellationToken);
            if (selfCheck != ExitCodes.Success)
            {
                return selfCheck;
            }

            var folder = parse.GetValue(inputs)?.FullName ?? Path.Combine(RepoLayout.Root, "samples", "images");
            var files = Directory.Exists(folder) ? Directory.GetFiles(folder).Where(f => !f.EndsWith(".md", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToArray() : [];
            if (files.Length == 0)
            {
                await Console.Error.WriteLineAsync($"demo: no inputs in {folder}.");
                return ExitCodes.UsageError;
            }

            var outFolder = parse.GetValue(output)?.FullName ?? Path.Combine(RepoLayout.Root, "out", "demo");
            return await CliApp.RunAsync(["score", .. files, "--output", outFolder], cancellationToken);
        });
        return command;
    }
}
