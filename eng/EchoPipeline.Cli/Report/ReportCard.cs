using System.Globalization;
using System.Text;
using EchoPipeline.Cli.LocalPipeline;
using static EchoPipeline.Cli.Report.HtmlReport;

namespace EchoPipeline.Cli.Report;

/// <summary>One input's card in the report.</summary>
internal static class ReportCard
{
    public static void Append(StringBuilder html, SummaryEntry entry)
    {
        html.Append(CultureInfo.InvariantCulture, $"""
            <section class="card {E(entry.Status)}" data-input="{E(entry.Input)}" data-status="{E(entry.Status)}">
            <h2><span class="badge">{E(entry.Status)}</span> {E(entry.Input)}</h2>
            <p class="meta">job <code>{E(entry.JobId ?? "none")}</code>{(entry.Media is { } media ? " · " + E(media) : "")}</p>

            """);
        if (entry.ErrorCode is not null)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"error\"><code>{E(entry.ErrorCode)}</code> {E(entry.ErrorMessage)}</p>\n");
        }

        html.Append("<div class=\"media\">");
        if (entry.Frame is { } frame)
        {
            html.Append(CultureInfo.InvariantCulture, $"<figure><img class=\"frame\" src=\"{Href(frame)}\" alt=\"frame\" width=\"256\" height=\"256\"><figcaption>frame the sound was made from</figcaption></figure>");
        }

        foreach (var spectrogram in entry.Spectrogram)
        {
            html.Append(CultureInfo.InvariantCulture, $"<figure><img class=\"spectrogram\" src=\"{Href(spectrogram)}\" alt=\"spectrogram\" width=\"440\" height=\"220\"><figcaption>spectrogram (time →, 0 Hz at the bottom)</figcaption></figure>");
        }

        html.Append("</div>\n");
        foreach (var wav in entry.Wav)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p><audio controls preload=\"metadata\" src=\"{Href(wav)}\" data-state=\"pending\"></audio> <a href=\"{Href(wav)}\">WAV</a></p>\n");
        }

        foreach (var video in entry.ScoredVideo)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p><video controls preload=\"metadata\" width=\"384\" src=\"{Href(video)}\"></video></p>\n");
        }

        AppendTable(html, "parameters", entry.Parameters.Select(p => (p.Key, p.Value)));
        AppendTable(html, "timings (ms)", entry.Timings.Select(t => (t.Key, t.Value.ToString("0", CultureInfo.InvariantCulture))));
        html.Append("</section>\n");
    }

    private static void AppendTable(StringBuilder html, string caption, IEnumerable<(string Key, string Value)> rows)
    {
        var list = rows.ToList();
        if (list.Count == 0)
        {
            return;
        }

        html.Append(CultureInfo.InvariantCulture, $"<table><caption>{E(caption)}</caption>");
        foreach (var (key, value) in list)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><th>{E(key)}</th><td>{E(value)}</td></tr>");
        }

        html.Append("</table>\n");
    }
}
