using System.Globalization;

namespace EchoPipeline.Cli.Chaos;

/// <summary>
/// A folder with <c>ffmpeg</c> and <c>ffprobe</c> wrappers for the workers (Media:FfmpegPath/FfprobePath): the first
/// ffmpeg call that reads an input fails (a transient failure, as an OOM-killed ffmpeg would), every other call runs
/// the real tool. The marker is a directory, so "first" holds across processes (mkdir is atomic).
/// </summary>
internal sealed class FlakyFfmpeg : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("echopipe-chaos-ffmpeg-");

    private FlakyFfmpeg()
    {
    }

    public string FfmpegPath => Path.Combine(_folder.FullName, "ffmpeg");

    public string FfprobePath => Path.Combine(_folder.FullName, "ffprobe");

    /// <summary>Whether the injected failure has happened (some worker ran ffmpeg on an input).</summary>
    public bool Fired => Directory.Exists(Path.Combine(_folder.FullName, "failed-once"));

    /// <summary>The wrappers, or null (with the reason) when ffmpeg or ffprobe is not on PATH or this is not Unix.</summary>
    public static FlakyFfmpeg? TryCreate(out string? skipped)
    {
        var ffmpeg = OnPath("ffmpeg");
        var ffprobe = OnPath("ffprobe");
        if (OperatingSystem.IsWindows() || ffmpeg is null || ffprobe is null)
        {
            skipped = "no transient ffmpeg failure: needs Unix and ffmpeg/ffprobe on PATH";
            return null;
        }

        var flaky = new FlakyFfmpeg();
        var marker = Path.Combine(flaky._folder.FullName, "failed-once");
        Write(flaky.FfmpegPath, string.Create(CultureInfo.InvariantCulture, $"""
            #!/bin/sh
            # chaos: the first ffmpeg run on an input fails once, as a transient failure would.
            case " $* " in
              *" -i "*) if mkdir '{marker}' 2>/dev/null; then echo "chaos: injected ffmpeg failure" >&2; exit 137; fi ;;
            esac
            exec '{ffmpeg}' "$@"

            """));
        Write(flaky.FfprobePath, $"#!/bin/sh\nexec '{ffprobe}' \"$@\"\n");
        skipped = null;
        return flaky;
    }

    public void Dispose() => _folder.Delete(recursive: true);

    private static void Write(string path, string script)
    {
        File.WriteAllText(path, script);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private static string? OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
        .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(folder => Path.Combine(folder, tool))
        .FirstOrDefault(path => Path.IsPathFullyQualified(path) && File.Exists(path));
}
