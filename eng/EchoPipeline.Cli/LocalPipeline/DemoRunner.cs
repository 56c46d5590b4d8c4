using System.Diagnostics;
using System.Text.Json;
using EchoPipeline.Cli.Report;
using EchoPipeline.Engine.Bundles;
using EchoPipeline.Engine.Generation;

namespace EchoPipeline.Cli.LocalPipeline;

/// <summary>
/// `demo` end to end: check the toolchain and bundle, start the local pipeline, run the inputs through it, write
/// summary.json and index.html into the output folder, stop everything (also when cancelled).
/// </summary>
internal static class DemoRunner
{
    public const string SummaryFileName = "summary.json";

    public static async Task<RunSummary> RunAsync(DemoSettings settings, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        await Toolchain.EnsureAsync(cancellationToken).ConfigureAwait(false);
        CheckBundle(settings.BundlePath);
        var started = TimeProvider.System.GetUtcNow();
        var clock = Stopwatch.StartNew();
        PrepareOutFolder(settings.OutFolder);

        IReadOnlyList<SummaryEntry> entries;
        await using (var host = await LocalPipelineHost.StartAsync(settings.Workers, settings.BundlePath, progress, cancellationToken).ConfigureAwait(false))
        {
            var run = new PipelineRun(host.Storage, host.Ingest.Delivery, settings.OutFolder, TimeProvider.System, host.Workers.EnsureAlive);
            entries = await run.RunAsync(settings.Inputs, settings.Timeout, progress, cancellationToken).ConfigureAwait(false);
            progress?.Report("stopping the local pipeline");
        }

        var summary = new RunSummary(started, clock.Elapsed.TotalSeconds, settings.BundlePath, settings.Workers, entries);
        await File.WriteAllBytesAsync(Path.Combine(settings.OutFolder, SummaryFileName),
            JsonSerializer.SerializeToUtf8Bytes(summary, SummaryJsonContext.Default.RunSummary), cancellationToken).ConfigureAwait(false);
        await HtmlReport.WriteAsync(summary, settings.OutFolder, cancellationToken).ConfigureAwait(false);
        return summary;
    }

    /// <summary>Loads the bundle once here, so a bad one is one line now rather than N workers failing later.</summary>
    internal static void CheckBundle(string bundlePath)
    {
        try
        {
            using var model = EchoModel.Load(bundlePath);
        }
        catch (BundleLoadException e)
        {
            throw new LocalPipelineException(e.Message, ExitCodes.BadBundle);
        }
    }

    // Results of an earlier run would mix with this one's in the report.
    private static void PrepareOutFolder(string outFolder)
    {
        Directory.CreateDirectory(outFolder);
        var assets = Path.Combine(outFolder, "assets");
        if (Directory.Exists(assets))
        {
            Directory.Delete(assets, recursive: true);
        }
    }
}
