using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using EchoPipeline.Testing;

namespace EchoPipeline.Cli.Tests.Batch;

/// <summary>A batch whose CLI process is killed (SIGKILL, no chance to clean up) picks up where it stopped.</summary>
public sealed class BatchResumeTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("echopipe-resume-").FullName;

    [Fact]
    public async Task After_the_cli_process_is_killed_mid_run_the_same_command_finishes_only_what_was_left()
    {
        var inputs = Directory.CreateDirectory(Path.Combine(_root, "inputs")).FullName;
        foreach (var name in new[] { "cells.png", "gradient.png", "mandelbrot.png", "testcard.png" })
        {
            File.Copy(Path.Combine(RepoPaths.Root, "samples", "images", name), Path.Combine(inputs, name));
        }

        var output = Path.Combine(_root, "out");
        string[] arguments = ["batch", "--inputs", inputs, "--out", output, "--steps", "30", "--workers", "1", "--bundle", Path.Combine(RepoPaths.Root, "models", "echo-demo")];
        var results = Path.Combine(output, ".echopipe-batch", "jobs");

        var finishedBeforeKill = await RunAndKillAfterFirstResultAsync(arguments, results);
        var kept = finishedBeforeKill.ToDictionary(f => f, File.ReadAllBytes);
        Assert.InRange(kept.Count, 1, 3);
        Assert.False(File.Exists(Path.Combine(output, "dataset.jsonl")));

        var exit = await CliApp.RunAsync(arguments);

        var summary = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(output, "summary.json"))).RootElement;
        Assert.Equal(ExitCodes.Success, exit);
        Assert.Equal(4, summary.GetProperty("succeeded").GetInt32());
        Assert.Equal(4 - kept.Count, summary.GetProperty("generated").GetInt32());
        Assert.All(kept, k => Assert.Equal(k.Value, File.ReadAllBytes(k.Key)));
        Assert.Equal(4, Directory.GetFiles(results, "*.json").Length);
    }

    /// <summary>Runs the CLI as its own process and kills it, and then the pipeline it started (which it had no chance to stop), once a job has finished.</summary>
    private static async Task<IReadOnlyList<string>> RunAndKillAfterFirstResultAsync(string[] arguments, string results)
    {
        var own = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory));
        var cli = Path.Combine(RepoPaths.Root, "eng", "EchoPipeline.Cli", "bin", own.Parent!.Name, own.Name, "echopipe.dll");
        // One job per worker batch (the workers inherit the CLI's environment): with the default batch of 4 every job
        // of this run finishes at the same moment and the kill would come after all of them.
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, Environment = { ["ECHOPIPE_ROOT"] = RepoPaths.Root, ["Worker__BatchSize"] = "1" },
        };
        start.ArgumentList.Add(cli);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        var deadline = DateTime.UtcNow.AddMinutes(3);
        // The process tree is read while waiting, so the kill follows the first result at once; and each job takes 30
        // steps, several of the CLI's polls of the job records, so the others are not all done by then.
        var descendants = Descendants(process.Id);
        while (!(Directory.Exists(results) && Directory.GetFiles(results, "*.json").Length > 0))
        {
            Assert.True(DateTime.UtcNow < deadline && !process.HasExited, "the batch finished no job within 3 minutes");
            await Task.Delay(50);
            descendants = Descendants(process.Id);
        }

        process.Kill();
        await process.WaitForExitAsync();
        foreach (var pid in descendants)
        {
            try
            {
                using var child = Process.GetProcessById(pid);
                child.Kill(entireProcessTree: true);
            }
            catch (ArgumentException)
            {
                // Gone already.
            }
        }

        return Directory.GetFiles(results, "*.json");
    }

    /// <summary>Every process below <paramref name="pid"/>, from /proc (Azurite, the workers).</summary>
    private static List<int> Descendants(int pid)
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), CultureInfo.InvariantCulture, out var id))
            {
                try
                {
                    var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                    parents[id] = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
                }
                catch (IOException)
                {
                }
            }
        }

        var found = new List<int>();
        var frontier = new Queue<int>([pid]);
        while (frontier.TryDequeue(out var parent))
        {
            foreach (var child in parents.Where(p => p.Value == parent).Select(p => p.Key))
            {
                found.Add(child);
                frontier.Enqueue(child);
            }
        }

        return found;
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
