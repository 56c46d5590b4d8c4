using EchoPipeline.Testing;

namespace EchoPipeline.Cli.Tests.Evaluation;

/// <summary>`eval` in-process on the committed demo bundle and its held-out set (real ffmpeg, ONNX Runtime).</summary>
public sealed class EvalCommandTests : IDisposable
{
    private static readonly string DemoBundle = Path.Combine(RepoPaths.Root, "models", "echo-demo");
    private readonly string _dir = Directory.CreateTempSubdirectory("echopipe-eval-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Runs_every_measure_on_a_few_held_out_samples()
    {
        var exit = await CliApp.RunAsync(["eval", "--bundle", DemoBundle, "--count", "2", "--batch", "2"]);

        Assert.Equal(ExitCodes.Success, exit);
    }

    [Fact]
    public async Task A_set_without_labels_is_a_usage_error()
    {
        var exit = await CliApp.RunAsync(["eval", "--bundle", DemoBundle, "--set", _dir]);

        Assert.Equal(ExitCodes.UsageError, exit);
    }

    [Fact]
    public async Task A_count_below_two_is_a_usage_error()
    {
        var exit = await CliApp.RunAsync(["eval", "--bundle", DemoBundle, "--count", "1"]);

        Assert.Equal(ExitCodes.UsageError, exit);
    }
}
