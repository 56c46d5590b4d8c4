namespace EchoPipeline.Cli.Tests.Throughput;

public sealed class BenchPipelineOptionsTests
{
    [Theory]
    [InlineData("--jobs", "15")]
    [InlineData("--jobs", "1001")]
    [InlineData("--workers", "0")]
    [InlineData("--workers", "17")]
    public async Task Bad_pipeline_settings_are_usage_errors_before_anything_starts(string option, string value)
    {
        var exit = await CliApp.RunAsync(["bench", "--pipeline", option, value]);

        Assert.Equal(ExitCodes.UsageError, exit);
    }
}
