using System.Globalization;
using EchoPipeline.Cli.LocalPipeline;
using EchoPipeline.Cli.Verification;

namespace EchoPipeline.Cli.Throughput;

/// <summary>
/// The long-video figures' inputs, made with FFmpeg's lavfi sources: a 10-minute video of 12 solid-colour shots (a cut
/// at every colour change, shots of 29-70 s, so their window counts differ) and short one-window clips. Small (160x120,
/// 10 fps, x264 ultrafast), so making and decoding them costs little next to generating their sound.
/// </summary>
internal static class SyntheticVideos
{
    /// <summary>Shot lengths in seconds: 600 in all.</summary>
    private static readonly int[] ShotSeconds = [31, 47, 62, 38, 55, 44, 70, 29, 51, 66, 40, 67];

    /// <summary>Neighbours differ in at least two RGB channels by 128 or more: every change is a cut for the scene score.</summary>
    private static readonly string[] Colours =
        ["0xFF0000", "0x00FF00", "0x0000FF", "0xFFFF00", "0xFF00FF", "0x00FFFF", "0xFF8000", "0x0080FF", "0x80FF00", "0x8000FF", "0x00FF80", "0xFF0080"];

    private const double ClipSeconds = 4;

    private static readonly string[] Encode = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"];

    /// <summary>Writes the 10-minute video of <see cref="Shots"/> shots into <paramref name="folder"/> and returns its path.</summary>
    public static async Task<string> WriteLongAsync(string folder, CancellationToken cancellationToken)
    {
        var sources = string.Join(';', ShotSeconds.Select((seconds, i) => Invariant($"color=c={Colours[i]}:s=160x120:r=10:d={seconds}[s{i}]")));
        var graph = sources + ";" + string.Concat(ShotSeconds.Select((_, i) => Invariant($"[s{i}]"))) + Invariant($"concat=n={ShotSeconds.Length}");
        var path = Path.Combine(folder, "long-video.mp4");
        await RunAsync(["-f", "lavfi", "-i", graph, .. Encode, path], cancellationToken).ConfigureAwait(false);
        return path;
    }

    /// <summary>The shots of the long video (a cut before each but the first).</summary>
    public static int Shots => ShotSeconds.Length;

    /// <summary>
    /// <paramref name="count"/> clips of <see cref="ClipSeconds"/> (one window each), cut by one FFmpeg run from a
    /// moving test pattern (no cuts), so every clip's frame differs.
    /// </summary>
    public static async Task<string[]> WriteClipsAsync(string folder, int count, CancellationToken cancellationToken)
    {
        var pattern = Path.Combine(folder, "clip-%04d.mp4");
        var seconds = count * ClipSeconds;
        await RunAsync(
        [
            "-f", "lavfi", "-i", Invariant($"testsrc2=s=160x120:r=10:d={seconds}"), .. Encode,
            "-force_key_frames", Invariant($"expr:gte(t,n_forced*{ClipSeconds})"),
            "-f", "segment", "-segment_time", Invariant($"{ClipSeconds}"), "-reset_timestamps", "1", pattern,
        ], cancellationToken).ConfigureAwait(false);
        var clips = Directory.GetFiles(folder, "clip-*.mp4").Order(StringComparer.Ordinal).ToArray();
        return clips.Length == count
            ? clips
            : throw new LocalPipelineException($"bench: FFmpeg cut {clips.Length} clips where {count} were asked for.", ExitCodes.SomeInputsFailed);
    }

    private static async Task RunAsync(string[] arguments, CancellationToken cancellationToken)
    {
        var result = await ToolProcess.RunAsync("ffmpeg", ["-v", "error", "-y", .. arguments], TimeSpan.FromMinutes(5), cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new LocalPipelineException($"bench: FFmpeg could not make the benchmark's videos: {ToolProcess.LastLine(result.StderrTail)}", ExitCodes.EnvironmentMissing);
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
