using System.Diagnostics;
using System.Globalization;
using EchoPipeline.Media;

// Middle-frame extraction must cost the same for a 10 s and a 10 min video of the same codec and
// keyframe interval (fast input seeking); the ratio of medians is the figure to watch (goal <= 2).
// Usage: dotnet run -c Release --project eng/benchmarks/EchoPipeline.Media.Benchmarks [repetitions]
var repetitions = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 7;
var cache = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "echopipeline-bench-media")).FullName;
var runner = new FfmpegRunner(new MediaOptions { Timeout = TimeSpan.FromMinutes(10) });
var probe = new MediaProbe(runner);
var extractor = new MiddleFrameExtractor(runner);

Print("ffmpeg", FfmpegVersion());
Print("repetitions", repetitions);
var shortVideo = await Generate(10);
var longVideo = await Generate(600);
var shortMedian = await Measure("10s", shortVideo, null);
var longMedian = await Measure("10min", longVideo, null);
Print("ratio_10min_to_10s", longMedian / shortMedian);

// 300 s is itself a keyframe (frame 7500 = 30 x 250); 309.96 s is the last frame of that GOP, the most
// a seek can ever decode (249 frames), so it bounds the cost for any middle.
var worstMedian = await Measure("10min_gop_end", longVideo, TimeSpan.FromSeconds(309.96));
Print("ratio_10min_gop_end_to_10s", worstMedian / shortMedian);

// For scale: what output seeking (-ss after -i, decoding everything before the middle) costs.
var slow = Stopwatch.StartNew();
await runner.RunAsync(MediaTool.Ffmpeg,
    ["-v", "error", "-i", "file:" + longVideo, "-ss", "300", "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"], longVideo);
Print("reference_output_seek_10min_ms", slow.Elapsed.TotalMilliseconds);

async Task<string> Generate(int seconds)
{
    var path = Path.Combine(cache, $"testsrc2-320x180-25fps-x264-g250-{seconds}s.mp4");
    if (!File.Exists(path))
    {
        var clock = Stopwatch.StartNew();
        var partial = path + ".partial.mp4";
        await runner.RunAsync(MediaTool.Ffmpeg,
            ["-v", "error", "-y", "-f", "lavfi", "-i", $"testsrc2=s=320x180:r=25:d={seconds}",
             "-c:v", "libx264", "-preset", "ultrafast", "-g", "250", "-pix_fmt", "yuv420p", "file:" + partial], partial);
        File.Move(partial, path);
        Print($"generated_{seconds}s_video_s", clock.Elapsed.TotalSeconds);
    }

    return path;
}

async Task<double> Measure(string name, string path, TimeSpan? at)
{
    var info = await probe.ProbeAsync(path);
    var position = at ?? info.Middle;
    Print($"{name}_duration_s", info.DurationSeconds ?? 0);
    Print($"{name}_bytes", info.SizeBytes);
    Print($"{name}_position_s", position.TotalSeconds);
    await extractor.ExtractAtAsync(info, position); // warm the page cache and the process start path
    var times = new List<double>();
    for (var i = 1; i <= repetitions; i++)
    {
        var clock = Stopwatch.StartNew();
        await extractor.ExtractAtAsync(info, position);
        times.Add(clock.Elapsed.TotalMilliseconds);
        Print($"middle_frame_{name}_run{i}_ms", times[^1]);
    }

    times.Sort();
    var median = times[times.Count / 2];
    Print($"middle_frame_{name}_median_ms", median);
    return median;
}

static string FfmpegVersion()
{
    using var process = Process.Start(new ProcessStartInfo("ffmpeg", "-version") { RedirectStandardOutput = true })!;
    var first = process.StandardOutput.ReadLine() ?? "unknown";
    process.WaitForExit();
    return first;
}

static void Print(string name, object value) =>
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {(value is double d ? d.ToString("0.###", CultureInfo.InvariantCulture) : value)}"));
