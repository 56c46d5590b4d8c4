using EchoPipeline.Engine.Audio;
using EchoPipeline.Testing;

namespace EchoPipeline.Cli.Tests.Commands;

/// <summary>`score` end to end in-process: real ffmpeg, the tiny bundle in ONNX Runtime, files on disk.</summary>
public sealed class ScoreCommandTests : IDisposable
{
    private static readonly string TinyBundle = RepoPaths.Fixture("bundles", "tiny");
    private readonly string _dir = Directory.CreateTempSubdirectory("echopipe-score-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Writes_a_wav_per_image_and_video_with_provenance_and_reports_bad_inputs()
    {
        var image = Path.Combine(RepoPaths.Root, "samples", "images", "cells.png");
        var video = await MakeVideoAsync("-leading dash clip.mp4", seconds: 4);
        var bogus = Path.Combine(_dir, "not a video.mp4");
        await File.WriteAllTextAsync(bogus, "plain text");
        var output = Path.Combine(_dir, "out");

        var exit = await CliApp.RunAsync(["score", image, video, bogus, "-o", output, "--steps", "4", "--seed", "7", "--bundle", TinyBundle]);

        Assert.Equal(ExitCodes.SomeInputsFailed, exit);
        Assert.False(File.Exists(Path.Combine(output, "not a video.wav")));
        // A picture gets one window; the 4 s video exactly 4 s.
        foreach (var (stem, samples) in new[] { ("cells", 217088), ("-leading dash clip", 4 * 22050) })
        {
            var wav = WavReader.Decode(await File.ReadAllBytesAsync(Path.Combine(output, stem + ".wav")));
            Assert.Equal(22050, wav.SampleRate);
            Assert.Equal(samples, wav.Samples.Length);
            Assert.Contains("seed=7", wav.Info["ICMT"], StringComparison.Ordinal);
            Assert.Contains("steps=4", wav.Info["ICMT"], StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_video_longer_than_one_window_is_scored_by_continuation_to_exactly_its_length()
    {
        var video = await MakeVideoAsync("long.mp4", seconds: 20);
        var output = Path.Combine(_dir, "out");

        var exit = await CliApp.RunAsync(["score", video, "-o", output, "--steps", "2", "--bundle", TinyBundle]);

        Assert.Equal(ExitCodes.Success, exit);
        var wav = WavReader.Decode(await File.ReadAllBytesAsync(Path.Combine(output, "long.wav")));
        // 20 s plans 3 windows over whole 4096-sample columns; the soundtrack is cut to the video's 441000 samples.
        Assert.Equal(20 * 22050, wav.Samples.Length);
    }

    [Fact]
    public async Task Variations_use_consecutive_seeds_and_differ()
    {
        var image = Path.Combine(RepoPaths.Root, "samples", "images", "gradient.png");
        var output = Path.Combine(_dir, "out");

        var exit = await CliApp.RunAsync(["score", image, "-o", output, "--steps", "3", "--variations", "2", "--bundle", TinyBundle]);

        Assert.Equal(ExitCodes.Success, exit);
        var first = WavReader.Decode(await File.ReadAllBytesAsync(Path.Combine(output, "gradient-v0.wav")));
        var second = WavReader.Decode(await File.ReadAllBytesAsync(Path.Combine(output, "gradient-v1.wav")));
        Assert.Contains("seed=0", first.Info["ICMT"], StringComparison.Ordinal);
        Assert.Contains("seed=1", second.Info["ICMT"], StringComparison.Ordinal);
        Assert.NotEqual(first.Samples, second.Samples);
    }

    [Fact]
    public async Task A_folder_is_scored_file_by_file_with_its_subfolders_kept_and_hidden_files_and_earlier_outputs_left_out()
    {
        var library = Path.Combine(_dir, "library");
        Directory.CreateDirectory(Path.Combine(library, "reel 2"));
        File.Copy(Path.Combine(RepoPaths.Root, "samples", "images", "cells.png"), Path.Combine(library, "a.png"));
        File.Copy(Path.Combine(RepoPaths.Root, "samples", "images", "gradient.png"), Path.Combine(library, "reel 2", "b.png"));
        File.Copy(Path.Combine(RepoPaths.Root, "samples", "images", "gradient.png"), Path.Combine(library, ".thumbnail.png"));
        var output = Path.Combine(library, "scored");
        Directory.CreateDirectory(output);
        await File.WriteAllTextAsync(Path.Combine(output, "earlier.wav"), "an output of an earlier run");

        var exit = await CliApp.RunAsync(["score", library, "-o", output, "--steps", "2", "--bundle", TinyBundle]);

        Assert.Equal(ExitCodes.Success, exit);
        var written = Directory.EnumerateFiles(output, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(output, f)).Order(StringComparer.Ordinal);
        Assert.Equal(["a.wav", "earlier.wav", Path.Combine("reel 2", "b.wav")], written);
        Assert.Equal(217088, WavReader.Decode(await File.ReadAllBytesAsync(Path.Combine(output, "reel 2", "b.wav"))).Samples.Length);
    }

    [Fact]
    public async Task Inputs_that_would_write_the_same_output_are_refused_before_any_work()
    {
        var image = Path.Combine(RepoPaths.Root, "samples", "images", "cells.png");
        var twin = Path.Combine(_dir, "cells.jpg");
        File.Copy(image, twin);
        var output = Path.Combine(_dir, "out");

        var exit = await CliApp.RunAsync(["score", image, twin, "-o", output, "--steps", "2", "--bundle", TinyBundle]);

        Assert.Equal(ExitCodes.UsageError, exit);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public async Task A_bad_bundle_exits_with_its_own_code()
    {
        var image = Path.Combine(RepoPaths.Root, "samples", "images", "cells.png");

        var exit = await CliApp.RunAsync(["score", image, "-o", Path.Combine(_dir, "out"), "--bundle", _dir]);

        Assert.Equal(ExitCodes.BadBundle, exit);
    }

    private Task<string> MakeVideoAsync(string name, int seconds) =>
        TestFfmpeg.WriteAsync(Path.Combine(_dir, name), "-f", "lavfi", "-i", $"testsrc2=size=160x120:rate=5:duration={seconds}", "-pix_fmt", "yuv420p");
}
