using System.Diagnostics;
using EchoPipeline.Testing;

namespace EchoPipeline.Cli.Tests.Batch;

/// <summary>
/// One `batch` run shared by the tests that read its dataset: the local pipeline (Azurite, the ingest in-process, one
/// worker process, the demo bundle at 2 steps), a CSV manifest of two good images (one named with a comma and a
/// quote) × 2 variations, and three hostile rows: a path out of the folder, a missing file, a text file posing as a PNG.
/// Then the same command again, for idempotence.
/// </summary>
public sealed class BatchRunFixture : IAsyncLifetime
{
    public const string Still = "cells.png";
    public const string QuotedStill = "with, \"comma\".png";
    public const string Outside = "../outside.png";
    public const string Missing = "missing.png";
    public const string NotMedia = "notes.png";

    private readonly string _root = Directory.CreateTempSubdirectory("echopipe-batch-").FullName;

    public string InputFolder => Path.Combine(_root, "inputs");

    public string OutFolder => Path.Combine(_root, "out");

    public string Manifest => Path.Combine(InputFolder, "manifest.csv");

    public int ExitCode { get; private set; }

    public int RerunExitCode { get; private set; }

    public string RerunOutput { get; private set; } = "";

    public byte[] Dataset { get; private set; } = [];

    public byte[] RerunDataset { get; private set; } = [];

    public IReadOnlyDictionary<string, DateTime> FilesAfterFirstRun { get; private set; } = new Dictionary<string, DateTime>();

    public string[] Arguments => ["batch", "--manifest", Manifest, "--variations", "2", "--out", OutFolder, "--steps", "2", "--workers", "1",
        "--bundle", Path.Combine(RepoPaths.Root, "models", "echo-demo"), "--timeout", "300"];

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(InputFolder);
        File.Copy(Path.Combine(RepoPaths.Root, "samples", "images", "cells.png"), Path.Combine(InputFolder, Still));
        File.Copy(Path.Combine(RepoPaths.Root, "samples", "images", "gradient.png"), Path.Combine(InputFolder, QuotedStill));
        File.Copy(Path.Combine(RepoPaths.Root, "samples", "images", "testcard.png"), Path.Combine(_root, "outside.png"));
        await File.WriteAllTextAsync(Path.Combine(InputFolder, NotMedia), "not an image, just words\n");
        await File.WriteAllTextAsync(Manifest,
            $"input,note\n{Still},first\n\"with, \"\"comma\"\".png\",second\n{Outside},\n{Missing},\n{NotMedia},\n");

        ExitCode = await CliApp.RunAsync(Arguments);
        Dataset = await File.ReadAllBytesAsync(Path.Combine(OutFolder, "dataset.jsonl"));
        FilesAfterFirstRun = Directory.EnumerateFiles(OutFolder, "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith("summary.json", StringComparison.Ordinal) && !f.EndsWith("dataset.jsonl", StringComparison.Ordinal) && !f.EndsWith("plan.jsonl", StringComparison.Ordinal))
            .ToDictionary(f => f, File.GetLastWriteTimeUtc);

        var clock = Stopwatch.StartNew();
        using var output = new StringWriter();
        var console = Console.Out;
        Console.SetOut(output);
        try
        {
            RerunExitCode = await CliApp.RunAsync(Arguments);
        }
        finally
        {
            Console.SetOut(console);
        }

        RerunOutput = output.ToString();
        RerunDataset = await File.ReadAllBytesAsync(Path.Combine(OutFolder, "dataset.jsonl"));
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_root, recursive: true);
        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class BatchRunTests : ICollectionFixture<BatchRunFixture>
{
    public const string Name = "batch run";
}
