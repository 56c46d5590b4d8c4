using EchoPipeline.Cli.Evaluation;
using EchoPipeline.Engine.Audio;
using EchoPipeline.Engine.Generation;
using EchoPipeline.Provenance.Watermarking;
using EchoPipeline.Testing;
using Xunit.Abstractions;

namespace EchoPipeline.Cli.Tests.Commands;

/// <summary>
/// `score` on videos with cuts and on a short one, with the demo bundle in ONNX Runtime and real FFmpeg: the soundtrack
/// is the video's length, each shot sounds in its own hue's band, and the cuts are crossfaded. Runs alone: `score`'s
/// progress display is one per process.
/// </summary>
[Collection(ConsoleCapture.Name)]
public sealed class ScoreCutsTests(ITestOutputHelper output) : IDisposable
{
    private const int Rate = 22050;
    private const int Third = 10 * Rate;
    private const int Window = 217088;
    private static readonly string DemoBundle = Path.Combine(RepoPaths.Root, "models", "echo-demo");
    private readonly string _dir = Directory.CreateTempSubdirectory("echopipe-cuts-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_video_cut_in_three_gets_its_length_of_sound_each_third_in_its_own_band_with_crossfades()
    {
        // Hues 45, 225 and 135 degrees: the world's bands 1, 5 and 3 (the eval's hue classifier says which).
        (string Hex, byte R, byte G, byte B)[] colours = [("FFBF00", 255, 191, 0), ("0040FF", 0, 64, 255), ("00FF40", 0, 255, 64)];
        var video = await FfmpegAsync("thirds.mp4",
            "-f", "lavfi", "-i", string.Join(';', colours.Select((c, i) => $"color=c=0x{c.Hex}:s=160x120:r=25:d=10[v{i}]")) + ";[v0][v1][v2]concat=n=3",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p");

        var wav = await ScoreAsync(video);

        Assert.Equal(3 * Third, wav.Samples.Length); // 30 s at 22050 Hz; within a frame would allow 882 samples
        using var model = EchoModel.Load(DemoBundle);
        var frontEnd = new MelFrontEnd(model.Mel);
        for (var k = 0; k < 3; k++)
        {
            var expected = HueClassifier.ClassOf(Solid(colours[k].R, colours[k].G, colours[k].B));
            var excerpt = wav.Samples.AsSpan((k * Third) + ((Third - Window) / 2), Window);
            var band = WorldBands.BandOf(SpectralCentroid.Hz(PowerMel.Of(excerpt, frontEnd)));
            output.WriteLine($"third {k}: hue class {expected}, sound band {band}");
            Assert.True(expected == band, $"third {k}: hue class {expected}, sound band {band}");
        }

        foreach (var cut in new[] { Third, 2 * Third })
        {
            // Through the cut and its 50 ms crossfade, no sample step larger than the sound's own on either side.
            var across = MaxStep(wav.Samples.AsSpan(cut - 200, 1102 + 400));
            var own = Math.Max(MaxStep(wav.Samples.AsSpan(cut - 6000, 5000)), MaxStep(wav.Samples.AsSpan(cut + 2000, 5000)));
            output.WriteLine($"cut at sample {cut}: largest step {across:F4} across it, {own:F4} within the shots");
            Assert.True(across <= 1.25 * own, $"cut at {cut}: step {across:F4} across it, {own:F4} within the shots");
        }
    }

    [Fact]
    public async Task A_three_second_video_gets_three_seconds_of_sound_that_fade_out()
    {
        var video = await FfmpegAsync("three.mp4", "-f", "lavfi", "-i", "color=c=0x0040FF:s=160x120:r=25:d=3", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p");

        var wav = await ScoreAsync(video);

        Assert.Equal(3 * Rate, wav.Samples.Length);
        // The last 0.1 s ramps to silence: its last 10 ms hold a twentieth of the level just before the fade.
        var body = Rms(wav.Samples.AsSpan(wav.Samples.Length - (Rate / 5), Rate / 10));
        var end = Rms(wav.Samples.AsSpan(wav.Samples.Length - (Rate / 100), Rate / 100));
        output.WriteLine($"3 s video: {wav.Samples.Length} samples, RMS {body:F4} before the fade, {end:F4} in its last 10 ms");
        Assert.True(body > 1e-3 && end < 0.2 * body, $"RMS {body:F4} before the fade, {end:F4} in its last 10 ms");
        Assert.True(WatermarkDetector.Detect(wav.Samples, WatermarkKey.PublicDefault).Present, "the three seconds carry the watermark");
    }

    private async Task<WavAudio> ScoreAsync(string video)
    {
        var output = Path.Combine(_dir, "out");
        var exit = await CliApp.RunAsync(["score", video, "-o", output, "--seed", "3", "--bundle", DemoBundle]);
        Assert.Equal(ExitCodes.Success, exit);
        return WavReader.Decode(await File.ReadAllBytesAsync(Path.Combine(output, Path.GetFileNameWithoutExtension(video) + ".wav")));
    }

    private static byte[] Solid(byte r, byte g, byte b) => [.. Enumerable.Range(0, 256 * 256).SelectMany(_ => new[] { r, g, b })];

    private static double MaxStep(ReadOnlySpan<float> samples)
    {
        var max = 0.0;
        for (var i = 1; i < samples.Length; i++)
        {
            max = Math.Max(max, Math.Abs(samples[i] - samples[i - 1]));
        }

        return max;
    }

    private static double Rms(ReadOnlySpan<float> samples)
    {
        double sum = 0;
        foreach (var s in samples)
        {
            sum += s * s;
        }

        return Math.Sqrt(sum / samples.Length);
    }

    private Task<string> FfmpegAsync(string name, params string[] arguments) => TestFfmpeg.WriteAsync(Path.Combine(_dir, name), arguments);
}
