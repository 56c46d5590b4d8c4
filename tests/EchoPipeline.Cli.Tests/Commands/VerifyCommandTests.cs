using System.Diagnostics;
using System.Text.RegularExpressions;
using EchoPipeline.Engine.Audio;
using EchoPipeline.Testing;

namespace EchoPipeline.Cli.Tests.Commands;

/// <summary>
/// `verify` as a user runs it: the CLI in its own process (its own environment, its own stdout), real FFmpeg for the
/// re-encodings, files scored by `score` with the tiny bundle.
/// </summary>
public sealed partial class VerifyCommandTests : IAsyncLifetime
{
    private static readonly string TinyBundle = RepoPaths.Fixture("bundles", "tiny");
    private readonly string _dir = Directory.CreateTempSubdirectory("echopipe-verify-test-").FullName;
    private string _scored = "";
    private string _payload = "";

    public async Task InitializeAsync()
    {
        var image = Path.Combine(RepoPaths.Root, "samples", "images", "cells.png");
        Assert.Equal(ExitCodes.Success, await CliApp.RunAsync(["score", image, "-o", _dir, "--steps", "3", "--seed", "5", "--bundle", TinyBundle]));
        _scored = Path.Combine(_dir, "cells.wav");
        _payload = PayloadInComment().Match(WavReader.Decode(await File.ReadAllBytesAsync(_scored)).Info["ICMT"]).Groups[1].Value;
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_dir, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_scored_wav_and_its_aac_reencoding_are_marked_with_their_payload_seconds_and_metadata()
    {
        var m4a = await FfmpegAsync("aac 96k.m4a", "-i", "file:" + _scored, "-c:a", "aac", "-b:a", "96k");

        var (exit, output, _) = await VerifyAsync([_scored, m4a]);

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Matches("^[0-9a-f]{8}$", _payload);
        var reports = output.Split(_dir, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, reports.Length);
        foreach (var report in reports)
        {
            Assert.Contains("\n  watermark: present\n", report, StringComparison.Ordinal);
            Assert.Matches(@"\n  statistic: \d+\.\d\d \(threshold 7\.00; unmarked audio reaches it with probability <= 7\.5e-07\)\n", report);
            Assert.Contains($"\n  payload: {_payload} (symbol statistics ", report, StringComparison.Ordinal);
            Assert.Contains("\n  seconds: 10 of 10 marked: 0-9\n", report, StringComparison.Ordinal);
            Assert.Contains("\n  key: d3429720 (public default key) scheme echo-wm/1\n", report, StringComparison.Ordinal);
            Assert.Contains($"comment: ai_generated=true bundle=tiny-test ", report, StringComparison.Ordinal);
            Assert.Contains($" watermark=echo-wm/1 payload={_payload} key=d3429720", report, StringComparison.Ordinal);
        }

        Assert.Contains("  audio: mov aac 22050 Hz 1 ch", reports[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Three_seconds_of_the_soundtrack_muxed_into_an_mp4_at_48_khz_are_marked()
    {
        var video = await FfmpegAsync("video.mp4", "-f", "lavfi", "-i", "testsrc2=size=96x64:rate=5:duration=3", "-c:v", "mpeg4");
        var mp4 = await FfmpegAsync("scored.mp4", "-i", "file:" + video, "-ss", "4.2", "-i", "file:" + _scored, "-map", "0:v:0", "-map", "1:a:0",
            "-c:v", "copy", "-c:a", "aac", "-b:a", "128k", "-ar", "48000", "-shortest");

        var (exit, output, _) = await VerifyAsync([mp4]);

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Contains("\n  watermark: present\n", output, StringComparison.Ordinal);
        Assert.Contains($"\n  payload: {_payload} ", output, StringComparison.Ordinal);
        Assert.Contains("  audio: mov aac 48000 Hz", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unmarked_and_unreadable_files_exit_1_with_one_line_errors_after_the_marked_ones()
    {
        var unmarked = Path.Combine(RepoPaths.Root, "models", "echo-demo", "eval", "world-000.flac");
        var text = Path.Combine(_dir, "notes.txt");
        await File.WriteAllTextAsync(text, "not audio at all");
        var playlist = Path.Combine(_dir, "list.m3u8");
        await File.WriteAllTextAsync(playlist, "#EXTM3U\n#EXTINF:10,\nfile:/etc/passwd\n");
        var silentVideo = await FfmpegAsync("silent.mp4", "-f", "lavfi", "-i", "testsrc2=size=96x64:rate=5:duration=2", "-c:v", "mpeg4");
        var blip = await FfmpegAsync("blip.wav", "-f", "lavfi", "-i", "sine=frequency=440:duration=0.4");
        var missing = Path.Combine(_dir, "missing.wav");

        var (exit, output, _) = await VerifyAsync([_scored, unmarked, text, playlist, silentVideo, blip, missing]);

        Assert.Equal(ExitCodes.SomeInputsFailed, exit);
        Assert.Contains($"{unmarked}\n  watermark: absent\n", output, StringComparison.Ordinal);
        Assert.Contains($"{unmarked}\n  watermark: absent\n  statistic: ", output, StringComparison.Ordinal);
        Assert.Contains("\n  payload: none\n  seconds: none marked\n", output, StringComparison.Ordinal);
        Assert.Matches($"(?m)^{Regex.Escape(text)}: error not_media: ", output);
        Assert.Matches($"(?m)^{Regex.Escape(playlist)}: error not_media: ", output);
        Assert.Matches($"(?m)^{Regex.Escape(silentVideo)}: error no_audio_stream: ", output);
        Assert.Matches($"(?m)^{Regex.Escape(blip)}: error too_short: 0\\.40 s of audio", output);
        Assert.Matches($"(?m)^{Regex.Escape(missing)}: error not_found: ", output);
        Assert.DoesNotContain("/input-", output, StringComparison.Ordinal); // the staged copy stays out of the messages
    }

    [Fact]
    public async Task Another_deployments_key_finds_no_mark_and_its_own_key_finds_its_own()
    {
        var environment = new Dictionary<string, string> { ["Watermark__Secret"] = "another deployment's secret" };
        var rescored = Path.Combine(_dir, "rescored");
        Assert.Equal(0, (await CliAsync(["score", Path.Combine(RepoPaths.Root, "samples", "images", "cells.png"), "-o", rescored, "--steps", "3", "--bundle", TinyBundle], environment)).Exit);

        var (otherKeyExit, otherKeyOutput, _) = await VerifyAsync([_scored], environment);
        var (ownKeyExit, ownKeyOutput, _) = await VerifyAsync([Path.Combine(rescored, "cells.wav")], environment);

        Assert.Equal(ExitCodes.SomeInputsFailed, otherKeyExit);
        Assert.Contains("\n  watermark: absent\n", otherKeyOutput, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Success, ownKeyExit);
        Assert.DoesNotContain("public default key", ownKeyOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_secret_too_short_to_be_one_is_a_usage_error() =>
        Assert.Equal(ExitCodes.UsageError, (await VerifyAsync([_scored], new Dictionary<string, string> { ["Watermark__Secret"] = "short" })).Exit);

    private static Task<(int Exit, string Output, string Errors)> VerifyAsync(string[] files, IReadOnlyDictionary<string, string>? environment = null) =>
        CliAsync(["verify", .. files], environment);

    /// <summary>The CLI built next to these tests, in a process of its own.</summary>
    private static async Task<(int Exit, string Output, string Errors)> CliAsync(string[] arguments, IReadOnlyDictionary<string, string>? environment)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "echopipe.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ECHOPIPE_ROOT"] = RepoPaths.Root;
        start.Environment.Remove("Watermark__Secret");
        start.Environment.Remove("Watermark__Enabled");
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await errors);
    }

    private Task<string> FfmpegAsync(string name, params string[] arguments) => TestFfmpeg.WriteAsync(Path.Combine(_dir, name), arguments);

    [GeneratedRegex("watermark=echo-wm/1 payload=([0-9a-f]{8})")]
    private static partial Regex PayloadInComment();
}
