using System.Text.Json;
using EchoPipeline.Testing;

namespace EchoPipeline.Cli.Tests.Evaluation;

/// <summary>`eval` in-process on the committed demo bundle and its held-out set (real ffmpeg, ONNX Runtime).</summary>
public sealed class EvalCommandTests : IDisposable
{
    private static readonly string DemoBundle = Path.Combine(RepoPaths.Root, "models", "echo-demo");
    private static readonly string HeldOut = Path.Combine(DemoBundle, "eval");
    private readonly string _dir = Directory.CreateTempSubdirectory("echopipe-eval-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>
    /// The first eight held-out samples are one per class (steady sounds), so chance is 1/8. The demo bundle must
    /// hear the picture's hue; the random-weight test bundle, given the same pictures, must not.
    /// </summary>
    [Fact]
    public async Task The_demo_bundle_puts_the_sound_in_the_band_the_picture_asks_for_and_random_weights_do_not()
    {
        var demo = await EvaluateAsync(DemoBundle, "demo.json", 8, "--guidance", "1");
        var random = await EvaluateAsync(RepoPaths.Fixture("bundles", "tiny"), "random.json", 8, "--guidance", "1");

        Assert.Equal(1.0, demo.GetProperty("band_accuracy_real").GetDouble());
        Assert.InRange(demo.GetProperty("band_accuracy_s1_n30").GetDouble(), 0.75, 1.0);
        Assert.InRange(demo.GetProperty("image_hue_accuracy").GetDouble(), 0.75, 1.0);
        Assert.InRange(random.GetProperty("band_accuracy_s1_n30").GetDouble(), 0.0, 0.375);
    }

    [Fact]
    public async Task Every_guidance_and_step_count_gets_its_own_figures()
    {
        var report = await EvaluateAsync(DemoBundle, "runs.json", 2, "--guidance", "1", "3", "--steps", "4", "8");

        var names = report.EnumerateObject().Select(p => p.Name).ToHashSet();
        foreach (var run in new[] { "s1_n4", "s1_n8", "s3_n4", "s3_n8" })
        {
            Assert.Contains($"band_accuracy_{run}", names);
            Assert.Contains($"fd_mel_{run}", names);
        }

        Assert.DoesNotContain("band_accuracy_s1_n30", names);
        Assert.Equal("N=30 T=9 s=1", report.GetProperty("defaults").GetString());
        Assert.Equal("probabilities", report.GetProperty("guidance_space").GetString());
    }

    [Theory]
    [InlineData("--count", "1")]
    [InlineData("--guidance", "-1")]
    [InlineData("--steps", "0")]
    [InlineData("--repeats", "0")]
    public async Task Bad_settings_are_usage_errors(string option, string value)
    {
        var exit = await CliApp.RunAsync(["eval", "--bundle", DemoBundle, option, value]);

        Assert.Equal(ExitCodes.UsageError, exit);
    }

    [Fact]
    public async Task Repeats_run_on_the_next_seeds_and_report_their_mean_smallest_and_largest()
    {
        var repeated = await EvaluateAsync(DemoBundle, "repeated.json", 4, "--guidance", "1", "--steps", "4", "--repeats", "2");
        var first = await EvaluateAsync(DemoBundle, "first.json", 4, "--guidance", "1", "--steps", "4", "--seed", "0");
        var second = await EvaluateAsync(DemoBundle, "second.json", 4, "--guidance", "1", "--steps", "4", "--seed", "4");

        foreach (var measure in new[] { "band_accuracy_s1_n4", "pattern_accuracy_s1_n4", "fd_mel_s1_n4" })
        {
            var runs = new[] { first.GetProperty(measure).GetDouble(), second.GetProperty(measure).GetDouble() };
            Assert.Equal(runs.Average(), repeated.GetProperty(measure).GetDouble(), 12);
            Assert.Equal(runs.Min(), repeated.GetProperty($"{measure}_min").GetDouble());
            Assert.Equal(runs.Max(), repeated.GetProperty($"{measure}_max").GetDouble());
            Assert.False(first.TryGetProperty($"{measure}_min", out _));
        }

        Assert.NotEqual(first.GetProperty("fd_mel_s1_n4").GetDouble(), second.GetProperty("fd_mel_s1_n4").GetDouble());
    }

    [Fact]
    public async Task A_set_without_labels_is_a_usage_error()
    {
        var exit = await CliApp.RunAsync(["eval", "--bundle", DemoBundle, "--set", _dir]);

        Assert.Equal(ExitCodes.UsageError, exit);
    }

    private async Task<JsonElement> EvaluateAsync(string bundle, string jsonName, int count, params string[] options)
    {
        var json = Path.Combine(_dir, jsonName);
        var exit = await CliApp.RunAsync(["eval", "--bundle", bundle, "--set", HeldOut, "--count", count.ToString(System.Globalization.CultureInfo.InvariantCulture), "--json", json, .. options]);

        Assert.Equal(ExitCodes.Success, exit);
        return JsonDocument.Parse(await File.ReadAllTextAsync(json)).RootElement.Clone();
    }
}
