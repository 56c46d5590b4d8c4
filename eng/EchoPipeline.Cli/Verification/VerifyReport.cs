using System.Globalization;
using System.Text;
using EchoPipeline.Media;
using EchoPipeline.Provenance.Watermarking;

namespace EchoPipeline.Cli.Verification;

/// <summary>The lines `verify` prints for one file: stable prefixes (`watermark:`, `statistic:`, ...) that scripts may read.</summary>
internal static class VerifyReport
{
    public static string Format(string file, AudioVerification verification)
    {
        var (probed, detection, key) = (verification.Audio, verification.Detection, verification.Key);
        var text = new StringBuilder();
        var invariant = CultureInfo.InvariantCulture;
        text.AppendLine(ToolProcess.Printable(file, 300));
        text.AppendLine(invariant, $"  watermark: {(detection.Present ? "present" : "absent")}");
        text.AppendLine(invariant,
            $"  statistic: {detection.Statistic:F2} (threshold {detection.Threshold:F2}; unmarked audio reaches it with probability <= {detection.FalseAlarmBound:0.0e+00}{KeysNote(detection)})");
        text.AppendLine(invariant, $"  payload: {PayloadLine(detection)}");
        text.AppendLine(invariant, $"  seconds: {SecondsLine(detection)}");
        if (detection.Seconds.Count > 0)
        {
            text.AppendLine(invariant, $"  per-second statistic: {string.Join(' ', detection.Seconds.Select(s => s.Statistic.ToString("F1", invariant)))} (threshold {WatermarkScheme.SecondThreshold:F1})");
        }

        text.AppendLine(invariant, $"  key: {key} scheme {WatermarkScheme.Name}");
        text.AppendLine(invariant,
            $"  audio: {probed.Demuxer} {ToolProcess.Printable(probed.Codec, 30)} {probed.SampleRate} Hz {probed.Channels} ch, {detection.DurationSeconds:F2} s analysed at {WatermarkScheme.SampleRate} Hz");
        if (probed.Tags.Count == 0)
        {
            text.AppendLine("  metadata: none");
        }
        else
        {
            text.AppendLine("  metadata:");
            foreach (var (name, value) in probed.Tags)
            {
                text.AppendLine(invariant, $"    {ToolProcess.Printable(name, 40)}: {ToolProcess.Printable(value, 400)}");
            }
        }

        return text.ToString();
    }

    private static string KeysNote(WatermarkDetection detection) =>
        detection.KeysTried > 1 ? string.Create(CultureInfo.InvariantCulture, $" with {detection.KeysTried} keys tried") : "";

    private static string PayloadLine(WatermarkDetection detection)
    {
        if (!detection.Present)
        {
            return "none";
        }

        var symbols = string.Join(' ', detection.SymbolStatistics.Select(z => z.ToString("F1", CultureInfo.InvariantCulture)));
        return detection.Payload is { } payload
            ? $"{payload} (symbol statistics {symbols})"
            : $"unrecoverable (symbol statistics {symbols}; the CRC does not match)";
    }

    /// <summary>"9 of 10 marked: 0-3 5-9", or "none marked".</summary>
    private static string SecondsLine(WatermarkDetection detection)
    {
        var marked = detection.Seconds.Where(s => s.Marked).Select(s => s.Second).ToArray();
        if (marked.Length == 0)
        {
            return detection.Present ? $"0 of {detection.Seconds.Count} marked" : "none marked";
        }

        var ranges = new List<string>();
        for (var i = 0; i < marked.Length;)
        {
            var j = i;
            while (j + 1 < marked.Length && marked[j + 1] == marked[j] + 1)
            {
                j++;
            }

            ranges.Add(i == j ? marked[i].ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{marked[i]}-{marked[j]}"));
            i = j + 1;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{marked.Length} of {detection.Seconds.Count} marked: {string.Join(' ', ranges)}");
    }
}
