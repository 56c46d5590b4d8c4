using System.Globalization;
using System.Net;
using System.Text;
using EchoPipeline.Cli.LocalPipeline;

namespace EchoPipeline.Cli.Report;

/// <summary>
/// index.html for a run, beside the assets/ folder the outputs were downloaded to: one card per input with the
/// extracted frame, spectrogram, audio player (and scored video), parameters, timings and status. No external
/// resources, so the folder can be zipped or served as is. Each &lt;audio&gt; and &lt;img&gt; gets data-state="loaded"
/// once it has loaded (or "error"), which is what the headless-browser test reads.
/// </summary>
internal static class HtmlReport
{
    public const string FileName = "index.html";

    public static async Task WriteAsync(RunSummary summary, string outFolder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var html = new StringBuilder();
        var succeeded = summary.Entries.Count(e => e.Status == SummaryEntry.Succeeded);
        html.Append(CultureInfo.InvariantCulture, $"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>EchoPipeline run {summary.StartedAt:yyyy-MM-dd HH:mm}</title>
            <style>{ReportAssets.Css}</style></head>
            <body data-inputs="{summary.Entries.Count}">
            <header><h1>EchoPipeline run</h1>
            <p>{E(summary.StartedAt.ToString("u", CultureInfo.InvariantCulture))} · bundle <code>{E(summary.Bundle)}</code> · {summary.Workers} worker(s) ·
            {summary.Seconds:0.0} s · <strong>{succeeded}/{summary.Entries.Count} succeeded</strong> · <a href="summary.json">summary.json</a></p></header>
            <main>

            """);
        foreach (var entry in summary.Entries)
        {
            ReportCard.Append(html, entry);
        }

        html.Append(CultureInfo.InvariantCulture, $"</main><script>{ReportAssets.Script}</script></body></html>\n");
        await File.WriteAllTextAsync(Path.Combine(outFolder, FileName), html.ToString(), new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
    }

    internal static string E(string? text) => WebUtility.HtmlEncode(text ?? "");

    /// <summary>A relative path as an attribute value: each segment percent-encoded, then HTML-encoded.</summary>
    internal static string Href(string relativePath) => E(string.Join('/', relativePath.Split('/').Select(Uri.EscapeDataString)));
}
