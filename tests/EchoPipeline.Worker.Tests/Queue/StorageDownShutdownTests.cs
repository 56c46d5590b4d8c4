using System.Diagnostics;
using EchoPipeline.LocalServices;
using EchoPipeline.Testing;
using EchoPipeline.Worker.Tests.Support;

namespace EchoPipeline.Worker.Tests.Queue;

/// <summary>
/// Issue 15 item 9: SIGTERM while storage cannot be reached (its own Azurite, stopped under the worker) ends the process
/// within its shutdown budget: the host's ShutdownTimeout plus the release step's own 10 s limit, not the SDK's retries.
/// </summary>
[Collection(WorkerGroup.Name)]
public sealed class StorageDownShutdownTests(WorkerFixture fixture)
{
    [Fact]
    public async Task Sigterm_with_storage_stopped_ends_the_worker_within_its_shutdown_budget()
    {
        var azurite = await AzuriteServer.StartAsync(RepoPaths.Azurite);
        var settings = new Dictionary<string, string?> { ["EchoStorage"] = azurite.ConnectionString, ["Worker:ShutdownTimeout"] = "00:00:03" };
        using var worker = WorkerProcess.Start(fixture, settings);
        var loaded = Stopwatch.StartNew();
        while (!worker.Output.Contains("Loaded model bundle", StringComparison.Ordinal) && loaded.Elapsed < TimeSpan.FromSeconds(90) && !worker.HasExited)
        {
            await Task.Delay(100);
        }

        Assert.Contains("Loaded model bundle", worker.Output, StringComparison.Ordinal);
        await azurite.DisposeAsync();
        await Task.Delay(TimeSpan.FromSeconds(2)); // the receive loop meets refused connections and backs off

        var stopping = Stopwatch.StartNew();
        worker.Terminate();
        await worker.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(3 + 10 + 5), $"took {stopping.Elapsed.TotalSeconds:F1} s to stop:\n{worker.Output}");
    }
}
