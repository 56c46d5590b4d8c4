using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using EchoPipeline.Cli.Batch;
using EchoPipeline.Cli.LocalPipeline;
using EchoPipeline.Media;

namespace EchoPipeline.Cli.Commands;

/// <summary>
/// `bench-batch`: how fast `batch` submits a big manifest to Azurite, and whether its memory stays flat. Writes a CSV of
/// --rows rows over --distinct generated 256x256 PNGs (each row its own seed, so its own job), starts Azurite and the
/// ingest (no workers), runs `batch --submit-only` (hash, stage once per input, ingest: probe and frames once per input
/// content, then per job the record and the message) and prints `name: value` lines: rows per second, storage requests
/// per row (every HTTP request of the batch run: a figure the machine's load does not move)
/// and the process's peak memory.
/// </summary>
internal static class BenchBatchCommand
{
    public static Command Create()
    {
        var rows = new Option<int>("--rows") { Description = "Manifest rows.", DefaultValueFactory = _ => 10_000 };
        var distinct = new Option<int>("--distinct") { Description = "Distinct input files the rows cycle over.", DefaultValueFactory = _ => 100 };
        var concurrency = new Option<int>("--concurrency") { Description = "Inputs staged and ingested at once.", DefaultValueFactory = _ => Math.Max(4, Environment.ProcessorCount * 2) };
        var command = new Command("bench-batch", "Measure batch submission of a big manifest to Azurite (rows/s, peak memory).") { rows, distinct, concurrency };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(rows) < 1 || parse.GetValue(distinct) < 1 || parse.GetValue(concurrency) is < 1 or > 64)
            {
                await Console.Error.WriteLineAsync("bench-batch: --rows and --distinct must be at least 1, --concurrency 1-64.");
                return ExitCodes.UsageError;
            }

            try
            {
                await Toolchain.EnsureAsync(cancellationToken);
                return await RunAsync(parse.GetValue(rows), parse.GetValue(distinct), parse.GetValue(concurrency), cancellationToken);
            }
            catch (LocalPipelineException e)
            {
                await Console.Error.WriteLineAsync($"bench-batch: {e.Message}");
                return e.ExitCode;
            }
        });
        return command;
    }

    private static async Task<int> RunAsync(int rows, int distinct, int concurrency, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("echopipe-bench-batch-").FullName;
        try
        {
            var manifest = await WriteManifestAsync(folder, rows, distinct, cancellationToken);
            var settings = new BatchSettings(manifest, null, Path.Combine(folder, "out"), 1, 0, TimeSpan.FromHours(1)) { SubmitOnly = true, SubmitConcurrency = concurrency };
            var progress = new PlainProgress(Console.Error, TimeSpan.FromSeconds(10));
            GC.Collect();
            var baseline = Environment.WorkingSet;
            var clock = Stopwatch.StartNew();
            await using var azurite = await LocalPipelineHost.StartAzuriteAsync(cancellationToken);
            var started = clock.Elapsed;
            var account = new Jobs.Storage.EchoStorageOptions { ConnectionString = azurite.ConnectionString };
            using (var provisioner = new Jobs.Storage.StorageProvisioner(Jobs.Storage.EchoStorage.Create(account), Microsoft.Extensions.Options.Options.Create(account)))
            {
                await provisioner.EnsureAsync(cancellationToken);
            }

            using var requests = new Throughput.HttpRequestCounter();
            var summary = await new BatchRunner(settings, _ => Task.FromResult(BatchBackend.Remote(account, settings.BundleId)), progress, TimeProvider.System).RunAsync(cancellationToken);
            var seconds = (clock.Elapsed - started).TotalSeconds;
            using var self = Process.GetCurrentProcess();
            Print("batch_submit_rows", summary.Rows);
            Print("batch_submit_distinct_inputs", distinct);
            Print("batch_submit_concurrency", concurrency);
            Print("batch_submit_seconds", seconds);
            Print("batch_submit_rows_per_s", summary.Rows / seconds);
            Print("batch_submit_storage_requests_per_row", (double)requests.Count / summary.Rows);
            Print("batch_peak_working_set_mb", self.PeakWorkingSet64 / 1048576.0);
            Print("batch_working_set_before_mb", baseline / 1048576.0);
            Print("batch_gc_heap_after_mb", GC.GetTotalMemory(forceFullCollection: false) / 1048576.0);
            return ExitCodes.Success;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>--distinct small PNGs, each its own pixels, and a CSV cycling over them with a seed per row.</summary>
    private static async Task<string> WriteManifestAsync(string folder, int rows, int distinct, CancellationToken cancellationToken)
    {
        for (var i = 0; i < distinct; i++)
        {
            var rgb = new byte[Frame.ByteLength];
            for (var p = 0; p < rgb.Length; p++)
            {
                rgb[p] = (byte)((p * (i + 7)) >> 9);
            }

            await File.WriteAllBytesAsync(Path.Combine(folder, $"in-{i:D5}.png"), FramePng.Encode(new Frame(rgb, TimeSpan.Zero)), cancellationToken);
        }

        var manifest = Path.Combine(folder, "manifest.csv");
        await using var writer = new StreamWriter(manifest);
        await writer.WriteLineAsync("input,seed");
        for (var r = 0; r < rows; r++)
        {
            await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"in-{r % distinct:D5}.png,{r}"));
        }

        return manifest;
    }

    private static void Print(string name, double value) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {value:0.###}"));
}
