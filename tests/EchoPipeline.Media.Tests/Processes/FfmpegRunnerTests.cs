namespace EchoPipeline.Media.Tests.Processes;

public sealed class FfmpegRunnerTests
{
    private static readonly string[] EndlessEncode = ["-v", "error", "-f", "lavfi", "-i", "testsrc2=s=640x480", "-f", "null", "-"];

    [Fact]
    public async Task Stdout_is_captured_as_bytes()
    {
        var runner = new FfmpegRunner(MediaSamples.Options);

        var bytes = await runner.RunAsync(MediaTool.Ffmpeg,
            ["-v", "error", "-f", "lavfi", "-i", "color=c=red:s=2x2,format=rgb24", "-frames:v", "1", "-pix_fmt", "rgb24", "-f", "rawvideo", "pipe:1"],
            "red 2x2");

        Assert.Equal([255, 0, 0, 255, 0, 0, 255, 0, 0, 255, 0, 0], bytes);
    }

    [Fact]
    public async Task Stdin_is_fed_and_stdout_can_stream_into_a_stream()
    {
        var runner = new FfmpegRunner(MediaSamples.Options);
        byte[] gray = [0, 64, 128, 255];
        using var output = new MemoryStream();

        await runner.RunAsync(MediaTool.Ffmpeg,
            ["-v", "error", "-f", "rawvideo", "-pix_fmt", "gray", "-video_size", "2x2", "-i", "pipe:0", "-pix_fmt", "rgb24", "-f", "rawvideo", "pipe:1"],
            "gray 2x2", output, gray);

        Assert.Equal([0, 0, 0, 64, 64, 64, 128, 128, 128, 255, 255, 255], output.ToArray());
    }

    [Fact]
    public async Task A_missing_executable_is_ffmpeg_missing()
    {
        var options = MediaSamples.Options;
        options.FfprobePath = "/nonexistent/ffprobe";
        var runner = new FfmpegRunner(options);

        var ex = await Assert.ThrowsAsync<MediaException>(() => runner.RunAsync(MediaTool.Ffprobe, ["-version"], "version"));

        Assert.Equal("ffmpeg_missing", ex.ErrorCode);
        Assert.Contains("/nonexistent/ffprobe", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failure_keeps_the_stderr_tail_and_names_the_subject()
    {
        var runner = new FfmpegRunner(MediaSamples.Options);

        var ex = await Assert.ThrowsAsync<MediaException>(() =>
            runner.RunAsync(MediaTool.Ffmpeg, ["-no-such-option", "x"], "some-input.mp4"));

        Assert.Equal(MediaErrorCode.FfmpegFailed, ex.Code);
        Assert.Contains("some-input.mp4", ex.Message, StringComparison.Ordinal);
        Assert.Contains("no-such-option", ex.ToolOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_past_the_timeout_is_killed_and_reported_as_timeout()
    {
        var options = MediaSamples.Options;
        options.Timeout = TimeSpan.FromMilliseconds(500);
        var runner = new FfmpegRunner(options);
        var marker = "echo-timeout-" + Guid.NewGuid().ToString("N");

        var ex = await Assert.ThrowsAsync<MediaException>(() =>
            runner.RunAsync(MediaTool.Ffmpeg, [.. EndlessEncode, "-metadata", "comment=" + marker], "endless"));

        Assert.Equal("timeout", ex.ErrorCode);
        Assert.Empty(ProcessesWith(marker));
    }

    [Fact]
    public async Task Cancellation_kills_the_process_and_throws_operation_canceled()
    {
        var runner = new FfmpegRunner(MediaSamples.Options);
        var marker = "echo-cancel-" + Guid.NewGuid().ToString("N");
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            runner.RunAsync(MediaTool.Ffmpeg, [.. EndlessEncode, "-metadata", "comment=" + marker], "endless",
                cancellationToken: cancellation.Token));

        Assert.Empty(ProcessesWith(marker));
    }

    [Fact]
    public async Task Output_over_the_memory_limit_stops_the_run()
    {
        var options = MediaSamples.Options;
        options.MaxOutputBytes = 100_000;
        var runner = new FfmpegRunner(options);

        var ex = await Assert.ThrowsAsync<MediaException>(() => runner.RunAsync(MediaTool.Ffmpeg,
            ["-v", "error", "-f", "lavfi", "-i", "testsrc2=s=640x480", "-pix_fmt", "rgb24", "-f", "rawvideo", "pipe:1"], "endless"));

        Assert.Equal("output_too_large", ex.ErrorCode);
    }

    private static List<int> ProcessesWith(string marker)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                if (int.TryParse(Path.GetFileName(dir), out var pid) &&
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
