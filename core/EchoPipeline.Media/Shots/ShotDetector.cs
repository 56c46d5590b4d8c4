using System.Globalization;
using System.Text.RegularExpressions;

namespace EchoPipeline.Media;

/// <summary>
/// Finds a video's cuts with FFmpeg's scene score (the <c>select</c> filter's <c>scene</c>: how much a frame differs
/// from the one before, 0..1), run through the media boundary like every other FFmpeg call: forced demuxer, input
/// guard, time limits. The frames are scaled to 64x64 first (a cut changes the whole picture, and the score costs
/// little at that size) and made packed RGB: on YUV 4:2:0 the score is mostly luma, so a cut from red to green of the
/// same brightness scores 0, while in RGB every channel counts alike. FFmpeg writes the selected frames' times to a
/// report in the workspace; nothing else is output.
/// </summary>
public sealed partial class ShotDetector
{
    /// <summary>Scene score above which a frame starts a new shot (FFmpeg's documentation suggests 0.3 to 0.5).</summary>
    public const double Threshold = 0.3;

    private readonly MediaTools _tools;

    public ShotDetector(MediaTools tools)
    {
        ArgumentNullException.ThrowIfNull(tools);
        _tools = tools;
    }

    /// <summary>The times (seconds, ascending) of the first frame of every shot after the first; none for still images.</summary>
    public async Task<IReadOnlyList<double>> DetectCutsAsync(MediaInfo info, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(info);
        if (info.IsStillImage)
        {
            return [];
        }

        var workspace = info.Input.Workspace;
        var report = workspace.NewPath("scenes", ".txt");
        var sink = workspace.NewPath("scenes", ".nut");
        // The report path is generated (letters, digits, '/', '.', '-', '_'): nothing in it the filter parser reads.
        var filter = string.Create(CultureInfo.InvariantCulture,
            $"scale=64:64,format=rgb24,select='gt(scene,{Threshold})',metadata=print:file={report}");
        try
        {
            await _tools.RunAsync(workspace, [ToolInput.Of(info)], sink,
                o => o.WithCustomArgument(string.Create(CultureInfo.InvariantCulture, $"-map 0:{info.Video.Index} -an -sn -dn -vf {filter} -f null")),
                info.Source, cancellationToken).ConfigureAwait(false);
            return File.Exists(report) ? Parse(await File.ReadAllLinesAsync(report, cancellationToken).ConfigureAwait(false)) : [];
        }
        finally
        {
            File.Delete(report);
            File.Delete(sink);
        }
    }

    /// <summary>The <c>pts_time</c> of each frame line of a <c>metadata=print</c> report, ascending.</summary>
    internal static IReadOnlyList<double> Parse(IEnumerable<string> lines) =>
        [.. lines.Select(line => FrameTime().Match(line))
            .Where(m => m.Success)
            .Select(m => double.Parse(m.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture))
            .Where(double.IsFinite)
            .Order()];

    [GeneratedRegex(@"^frame:\s*\d+\s+pts:\s*-?\d+\s+pts_time:\s*(-?[0-9.eE+-]+)\s*$")]
    private static partial Regex FrameTime();
}
