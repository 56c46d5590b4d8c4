using System.Diagnostics;
using EchoPipeline.Jobs;
using EchoPipeline.Worker.Tests.Support;

namespace EchoPipeline.Worker.Tests.Processing;

[Collection(WorkerGroup.Name)]
public sealed class WorkDirectoryTests(WorkerFixture fixture) : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("echo-worker-scratch-").FullName;

    public Task InitializeAsync() => fixture.ClearQueuesAsync();

    public Task DisposeAsync()
    {
        Directory.Delete(_root, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_starting_worker_deletes_the_scratch_folders_of_killed_workers_and_leaves_live_ones()
    {
        using (var exited = Process.Start("true")!)
        {
            await exited.WaitForExitAsync();
            Directory.CreateDirectory(Path.Combine(_root, $"echo-worker-{exited.Id}-{new string('a', 32)}-1", "media")).Create();
        }

        var live = Directory.CreateDirectory(Path.Combine(_root, $"echo-worker-{Environment.ProcessId}-{new string('b', 32)}-2")).FullName;
        var unrelated = Directory.CreateDirectory(Path.Combine(_root, "someone-else")).FullName;
        var id = await fixture.SeedJobAsync("scratch/after-sweep.png");

        await using var host = await WorkerHost.StartAsync(fixture, new Dictionary<string, string?> { ["Worker:TempDirectory"] = _root });
        var record = await fixture.WaitForAsync(id, r => r.Status is JobStatus.Succeeded or JobStatus.Failed, TimeSpan.FromSeconds(60));

        // The batch deletes its own folder just after the record; a graceful stop lets it get that far.
        await host.StopAsync();
        Assert.Equal(JobStatus.Succeeded, record.Status);
        Assert.Equal([live, unrelated], Directory.GetDirectories(_root).Order(StringComparer.Ordinal));
    }
}
