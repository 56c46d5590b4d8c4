using EchoPipeline.Worker.Hosting;
using EchoPipeline.Worker.Tests.Support;
using Microsoft.Extensions.Options;

namespace EchoPipeline.Worker.Tests.Hosting;

[Collection(WorkerGroup.Name)]
public sealed class PipelineSettingsTests(WorkerFixture fixture)
{
    [Theory]
    [InlineData("Worker:PipelineDepth", "0", "Worker:PipelineDepth must be between 1 and 8.")]
    [InlineData("Worker:PipelineDepth", "9", "Worker:PipelineDepth must be between 1 and 8.")]
    [InlineData("Worker:IntraOpThreads", "0", "Worker:IntraOpThreads must be between 1 and 256.")]
    [InlineData("Worker:WorkersPerMachine", "0", "Worker:WorkersPerMachine must be between 1 and 256.")]
    [InlineData("Worker:BatchSize", "33", "Worker:BatchSize must be between 1 and 32.")]
    [InlineData("Worker:DeviceMemoryMiB", "0", "Worker:DeviceMemoryMiB must be positive.")]
    [InlineData("Worker:VisibilityTimeout", "00:00:01", "Worker:VisibilityTimeout must be between 00:00:03")]
    [InlineData("Worker:MaxDequeueCount", "0", "Worker:MaxDequeueCount must be at least 1.")]
    public async Task Invalid_pipeline_setting_stops_the_worker_at_start_up_naming_the_setting(string key, string value, string expected)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var host = await WorkerHost.StartAsync(fixture, new Dictionary<string, string?> { [key] = value });
        });

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2", "Batch size 2: Worker:BatchSize.")]
    [InlineData(null, "CPU memory free for this worker")]
    public async Task The_worker_logs_its_batch_size_at_start_up_and_sizes_it_from_memory_when_unset(string? batchSize, string expected)
    {
        var logs = new LogCapture();

        await using (await WorkerHost.StartAsync(fixture, new Dictionary<string, string?> { ["Worker:BatchSize"] = batchSize }, logs))
        {
            // The bundle loads in the background after start-up; the line comes with it.
            for (var waited = 0; waited < 600 && logs.Count(43, "Batch size") == 0; waited++)
            {
                await Task.Delay(100);
            }
        }

        var line = Assert.Single(logs.Entries, e => e.EventId == 43).Message;
        Assert.Contains(expected, line, StringComparison.Ordinal);
        var size = int.Parse(line["Batch size ".Length..line.IndexOf(':', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(size, 1, 32);
    }

    [Theory]
    [InlineData(null, 1, 16, 16)]
    [InlineData(null, 4, 16, 4)]
    [InlineData(null, 3, 16, 5)]
    [InlineData(null, 8, 2, 1)]
    [InlineData(6, 4, 16, 6)]
    public void Sessions_get_an_even_share_of_the_cores_unless_the_thread_count_is_set(int? set, int workers, int cores, int expected)
    {
        var options = new WorkerOptions { IntraOpThreads = set, WorkersPerMachine = workers };

        Assert.Equal(expected, options.EffectiveIntraOpThreads(cores));
    }
}
