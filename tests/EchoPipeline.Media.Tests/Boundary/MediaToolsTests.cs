using System.Diagnostics;

namespace EchoPipeline.Media.Tests.Boundary;

/// <summary>The rules every ffmpeg/ffprobe run follows, checked on the command lines the tools actually received.</summary>
public sealed class MediaToolsTests(MediaSamples samples) : IClassFixture<MediaSamples>
{
    private const string HostileName = "-i \"x\" %d:file;.mp4";

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Every_run_reads_generated_paths_with_the_protocol_whitelist_and_a_forced_demuxer()
    {
        var log = samples.PathOf($"calls-{Guid.NewGuid():N}.log");
        var tools = MediaSamples.Tools(o => (o.FfmpegPath, o.FfprobePath) = (Recorder("ffmpeg", log), Recorder("ffprobe", log)));
        var video = samples.PathOf(HostileName);
        File.Copy(samples.Make("talkie.mp4", "-f", "lavfi", "-i", "testsrc2=s=160x120:r=10:d=2", "-f", "lavfi", "-i", "sine=d=2",
            "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest"), video, overwrite: true);
        var wav = samples.Make("tone.wav", "-f", "lavfi", "-i", "sine=f=440:d=1:sample_rate=22050", "-c:a", "pcm_s16le");
        using var workspace = tools.CreateWorkspace();

        var info = await new MediaProbe(tools).ProbeAsync(await workspace.CopyInAsync(video));
        await new MiddleFrameExtractor(tools).ExtractMiddleAsync(info);
        await new SoundtrackMuxer(tools).MuxAsync(info, await File.ReadAllBytesAsync(wav), samples.PathOf("recorded-scored.mp4"));
        await new AudioDecoder(tools).DecodeMonoAsync(await workspace.CopyInAsync(wav), 22050, 10);

        var runs = File.ReadAllText(log).Split("\u001e\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(run => run.Split('\u001f')).Where(run => run[1] != "-version").ToArray();
        Assert.Equal(["ffprobe", "ffmpeg", "ffmpeg", "ffprobe", "ffmpeg"], runs.Select(run => run[0]));
        foreach (var run in runs)
        {
            var arguments = run[1..];
            // Neither the upload's name nor its folder: only the workspace's generated names.
            Assert.DoesNotContain(arguments, a => a.Contains(HostileName, StringComparison.Ordinal) || a.Contains(samples.Directory, StringComparison.Ordinal));
            if (run[0] == "ffprobe")
            {
                Assert.Equal("file,pipe", After(arguments, "-protocol_whitelist"));
                var demuxers = After(arguments, "-format_whitelist").Split(',');
                Assert.Contains("mov", demuxers);
                Assert.DoesNotContain(demuxers, d => d is "hls" or "dash" or "concat" or "sdp" or "rtp" or "tty" or "image2");
                Assert.Contains(arguments, a => a.StartsWith(workspace.Directory + "/input-", StringComparison.Ordinal));
                continue;
            }

            // Each input's options run from the previous -i (or the start) up to its own -i.
            var start = 0;
            for (var i = Array.IndexOf(arguments, "-i"); i >= 0; start = i + 2, i = Array.IndexOf(arguments, "-i", start))
            {
                var options = arguments[start..i];
                Assert.Equal("file,pipe", After(options, "-protocol_whitelist"));
                Assert.Matches("^(mov|wav)$", After(options, "-f"));
                Assert.StartsWith(workspace.Directory + "/", arguments[i + 1], StringComparison.Ordinal);
            }

            Assert.True(start > 0, "an ffmpeg run without inputs");
        }
    }

    [Fact]
    public async Task A_run_past_its_time_limit_is_killed_and_reported_as_timeout()
    {
        var tools = MediaSamples.Tools();
        using var workspace = tools.CreateWorkspace();
        var info = await new MediaProbe(tools).ProbeAsync(await workspace.CopyInAsync(OneLongGop()));
        var impatient = new MiddleFrameExtractor(MediaSamples.Tools(o => o.Timeout = TimeSpan.FromMilliseconds(300)));

        var ex = await Assert.ThrowsAsync<MediaException>(() => impatient.ExtractAtAsync(info, TimeSpan.FromSeconds(239)));

        Assert.Equal("timeout", ex.ErrorCode);
        Assert.Contains("Media:Timeout", ex.Message, StringComparison.Ordinal);
        Assert.Empty(ProcessesReading(workspace.Directory));
    }

    [Fact]
    public async Task Runs_after_the_per_job_limit_are_refused_before_they_start()
    {
        var tools = MediaSamples.Tools(o => (o.Timeout, o.JobTimeout) = (TimeSpan.FromMilliseconds(400), TimeSpan.FromMilliseconds(400)));
        using var workspace = tools.CreateWorkspace();
        var input = await workspace.CopyInAsync(samples.Make("job.png", "-f", "lavfi", "-i", MediaSamples.Color("red", 32, 32), "-frames:v", "1"));
        await Task.Delay(TimeSpan.FromMilliseconds(600));

        var ex = await Assert.ThrowsAsync<MediaException>(() => new MediaProbe(tools).ProbeAsync(input));

        Assert.Equal("timeout", ex.ErrorCode);
        Assert.Contains("per-job limit", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancellation_kills_the_run_and_throws_operation_canceled()
    {
        var tools = MediaSamples.Tools();
        using var workspace = tools.CreateWorkspace();
        var info = await new MediaProbe(tools).ProbeAsync(await workspace.CopyInAsync(OneLongGop()));
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new MiddleFrameExtractor(tools).ExtractAtAsync(info, TimeSpan.FromSeconds(239), cancellation.Token));

        Assert.Empty(ProcessesReading(workspace.Directory));
    }

    [Fact]
    public async Task A_failure_keeps_the_stderr_tail_without_generated_paths()
    {
        var tools = MediaSamples.Tools();
        using var workspace = tools.CreateWorkspace();
        var path = samples.PathOf("garbage.mkv");
        await File.WriteAllBytesAsync(path, [0x1a, 0x45, 0xdf, 0xa3, 0x01, 0x02, 0x03, 0x04, 0x05]);

        var ex = await Assert.ThrowsAsync<MediaException>(async () => await new MediaProbe(tools).ProbeAsync(await workspace.CopyInAsync(path)));

        Assert.False(string.IsNullOrWhiteSpace(ex.ToolOutput));
        Assert.Contains(path, ex.ToolOutput, StringComparison.Ordinal);
        Assert.DoesNotContain(workspace.Directory, ex.ToolOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_generated_workspace_paths_reach_ffmpeg()
    {
        var tools = MediaSamples.Tools();
        using var workspace = tools.CreateWorkspace();
        var outside = new ToolInput(samples.PathOf("elsewhere.mp4"), "mov", "elsewhere.mp4");

        var ex = await Assert.ThrowsAsync<ArgumentException>(() =>
            tools.RunAsync(workspace, [outside], workspace.NewPath("out", ".png"), _ => { }, "elsewhere.mp4", CancellationToken.None));

        Assert.Contains("not a generated path", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>Four minutes of small frames with a single keyframe: a frame near the end takes seconds to decode.</summary>
    private string OneLongGop() => samples.Make("one-gop.mp4", "-f", "lavfi", "-i", "testsrc2=s=320x240:r=25:d=240",
        "-c:v", "libx264", "-preset", "ultrafast", "-g", "100000", "-keyint_min", "100000", "-sc_threshold", "0");

    /// <summary>A stand-in for the tool that records its arguments (unit/record separated) and runs the real one.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private string Recorder(string tool, string log)
    {
        var folder = Directory.CreateDirectory(samples.PathOf("recording-tools")).FullName;
        var script = Path.Combine(folder, tool);
        File.WriteAllText(script,
            $"#!/bin/sh\n{{ printf '%s' '{tool}'; for a in \"$@\"; do printf '\\037%s' \"$a\"; done; printf '\\036\\n'; }} >> '{log}'\nexec /usr/bin/{tool} \"$@\"\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return script;
    }

    private static string After(string[] arguments, string option)
    {
        var i = Array.LastIndexOf(arguments, option);
        Assert.True(i >= 0 && i + 1 < arguments.Length, $"{option} missing from: {string.Join(' ', arguments)}");
        return arguments[i + 1];
    }

    private static List<int> ProcessesReading(string marker)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                if (int.TryParse(Path.GetFileName(dir), out var pid) && pid != Environment.ProcessId &&
                    File.ReadAllText(Path.Combine(dir, "cmdline")).Contains(marker, StringComparison.Ordinal))
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return found;
    }
}
