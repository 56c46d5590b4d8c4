using System.Diagnostics;

namespace EchoPipeline.Media.Benchmarks;

/// <summary>
/// Middle-frame extraction must cost the same for a 10 s and a 10 min video of the same codec and keyframe interval
/// (fast input seeking); the ratio of medians is the figure to watch (goal &lt;= 2).
/// </summary>
internal static class MiddleFrameBenchmark
{
    public static async Task RunAsync(int repetitions)
    {
        var cache = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "echopipeline-bench-media")).FullName;
        var tools = new MediaTools(new MediaOptions { Timeout = TimeSpan.FromMinutes(10) });
        using var workspace = tools.CreateWorkspace();
        Figures.Print("middle_frame_repetitions", repetitions);
        var shortVideo = await workspace.CopyInAsync(Generate(cache, 10));
        var longVideo = await workspace.CopyInAsync(Generate(cache, 600));
        var shortMedian = await MeasureAsync(tools, "10s", shortVideo, null, repetitions);
        var longMedian = await MeasureAsync(tools, "10min", longVideo, null, repetitions);
        Figures.Print("ratio_10min_to_10s", longMedian / shortMedian);

        // 300 s is itself a keyframe (frame 7500 = 30 x 250); 309.96 s is the last frame of that GOP, the most
        // a seek can ever decode (249 frames), so it bounds the cost for any middle.
        var worstMedian = await MeasureAsync(tools, "10min_gop_end", longVideo, TimeSpan.FromSeconds(309.96), repetitions);
        Figures.Print("ratio_10min_gop_end_to_10s", worstMedian / shortMedian);

        // For scale: what output seeking (-ss after -i, decoding everything before the middle) costs.
        var slow = Stopwatch.StartNew();
        using (var process = Process.Start(new ProcessStartInfo("ffmpeg",
            ["-nostdin", "-v", "error", "-i", "file:" + Generate(cache, 600), "-ss", "300", "-frames:v", "1", "-f", "null", "-"])))
        {
            await process!.WaitForExitAsync();
        }

        Figures.Print("reference_output_seek_10min_ms", slow.Elapsed.TotalMilliseconds);
    }

    private static string Generate(string cache, int seconds)
    {
        var path = Path.Combine(cache, $"testsrc2-320x180-25fps-x264-g250-{seconds}s.mp4");
        if (!File.Exists(path))
        {
            var clock = Stopwatch.StartNew();
            var partial = path + ".partial.mp4";
            using var process = Process.Start("ffmpeg",
                ["-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", $"testsrc2=s=320x180:r=25:d={seconds}",
                 "-c:v", "libx264", "-preset", "ultrafast", "-g", "250", "-pix_fmt", "yuv420p", "file:" + partial]);
            process.WaitForExit();
            File.Move(partial, path);
            Figures.Print($"generated_{seconds}s_video_s", clock.Elapsed.TotalSeconds);
        }

        return path;
    }

    private static async Task<double> MeasureAsync(MediaTools tools, string name, MediaInput input, TimeSpan? at, int repetitions)
    {
        var info = await new MediaProbe(tools).ProbeAsync(input);
        var extractor = new MiddleFrameExtractor(tools);
        var position = at ?? info.Middle;
        Figures.Print($"{name}_duration_s", info.DurationSeconds ?? 0);
        Figures.Print($"{name}_bytes", info.SizeBytes);
        Figures.Print($"{name}_position_s", position.TotalSeconds);
        await extractor.ExtractAtAsync(info, position); // warm the page cache and the process start path
        var times = new List<double>();
        for (var i = 1; i <= repetitions; i++)
        {
            var clock = Stopwatch.StartNew();
            await extractor.ExtractAtAsync(info, position);
            times.Add(clock.Elapsed.TotalMilliseconds);
            Figures.Print($"middle_frame_{name}_run{i}_ms", times[^1]);
        }

        times.Sort();
        var median = times[times.Count / 2];
        Figures.Print($"middle_frame_{name}_median_ms", median);
        return median;
    }
}
