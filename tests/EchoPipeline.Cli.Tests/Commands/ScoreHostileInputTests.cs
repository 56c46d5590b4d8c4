using System.Diagnostics;
using EchoPipeline.Testing;

namespace EchoPipeline.Cli.Tests.Commands;

/// <summary>Runs alone: it reads what `score` writes to the process-wide stderr.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCapture
{
    public const string Name = "console capture";
}

/// <summary>`score` given hostile files next to a good one: one line with a code per refused file, nothing written for it.</summary>
[Collection(ConsoleCapture.Name)]
public sealed class ScoreHostileInputTests : IDisposable
{
    private static readonly string TinyBundle = RepoPaths.Fixture("bundles", "tiny");
    private readonly string _dir = Directory.CreateTempSubdirectory("echopipe-score-hostile-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Each_hostile_file_is_refused_on_one_line_with_its_code_and_the_good_one_is_scored()
    {
        var image = Path.Combine(RepoPaths.Root, "samples", "images", "cells.png");
        var target = Directory.GetFiles(Path.Combine(RepoPaths.Root, "samples", "videos"), "*.mp4")[0];
        var hostile = new Dictionary<string, string>
        {
            ["playlist.mp4"] = "unsupported_format",
            ["manifest.mp4"] = "unsupported_format",
            ["list.mp4"] = "unsupported_format",
            ["camera.mp4"] = "unsupported_format",
            ["notes.mp4"] = "not_media",
            ["bomb.png"] = "too_many_pixels",
        };
        await File.WriteAllTextAsync(Path.Combine(_dir, "playlist.mp4"), HostileMedia.HlsPlaylist(target));
        await File.WriteAllTextAsync(Path.Combine(_dir, "manifest.mp4"), HostileMedia.DashManifest());
        await File.WriteAllTextAsync(Path.Combine(_dir, "list.mp4"), HostileMedia.FfconcatScript(target));
        await File.WriteAllTextAsync(Path.Combine(_dir, "camera.mp4"), HostileMedia.SdpDescription());
        await File.WriteAllTextAsync(Path.Combine(_dir, "notes.mp4"), "minutes of the meeting\n");
        await File.WriteAllBytesAsync(Path.Combine(_dir, "bomb.png"), HostileMedia.PngDeclaring(40000, 40000));
        var output = Path.Combine(_dir, "out");
        var errors = new StringWriter();
        var original = Console.Error;
        int exit;
        var clock = Stopwatch.StartNew();
        Console.SetError(errors);
        try
        {
            exit = await CliApp.RunAsync(["score", image, .. hostile.Keys.Select(name => Path.Combine(_dir, name)), "-o", output, "--steps", "2", "--bundle", TinyBundle]);
        }
        finally
        {
            Console.SetError(original);
        }

        var lines = errors.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(ExitCodes.SomeInputsFailed, exit);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"took {clock.Elapsed}");
        Assert.Equal(hostile.Count, lines.Length);
        foreach (var (name, code) in hostile)
        {
            var line = Assert.Single(lines, l => l.StartsWith(name + ": ", StringComparison.Ordinal));
            Assert.StartsWith($"{name}: {code}: ", line, StringComparison.Ordinal);
            Assert.DoesNotContain("Exception", line, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(output, Path.GetFileNameWithoutExtension(name) + ".wav")));
        }

        Assert.True(File.Exists(Path.Combine(output, "cells.wav")));
        Assert.Equal(["cells.wav"], Directory.GetFiles(output).Select(Path.GetFileName));
    }
}
