using EchoPipeline.Engine.Audio;
using EchoPipeline.Jobs;
using EchoPipeline.Worker.Processing;
using EchoPipeline.Worker.Tests.Support;

namespace EchoPipeline.Worker.Tests.Queue;

/// <summary>
/// Issue 15 item 9 with a real process: a worker SIGKILLed while it writes a job's outputs (its scratch folder exists)
/// leaves that folder behind; the next worker deletes it at start, nobody ever sees a half-written output blob, and the
/// job completes.
/// </summary>
[Collection(WorkerGroup.Name)]
public sealed class KilledWhileWritingTests(WorkerFixture fixture) : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("echo-worker-killed-").FullName;

    public Task InitializeAsync() => fixture.ClearQueuesAsync();

    public Task DisposeAsync()
    {
        Directory.Delete(_root, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_worker_killed_while_writing_outputs_leaves_no_partial_blob_and_the_next_start_removes_its_scratch_folder_and_completes_the_job()
    {
        var id = await fixture.SeedJobAsync("shutdown/killed-writing.png", LeaseTests.LongJob, segments: 2);
        var settings = new Dictionary<string, string?> { ["Worker:VisibilityTimeout"] = "00:00:04", ["Worker:TempDirectory"] = _root };
        string orphan;
        using (var first = WorkerProcess.Start(fixture, settings))
        {
            // The scratch folder exists only while outputs are written: kill the moment inotify reports it.
            using var created = new SemaphoreSlim(0);
            using var watcher = new FileSystemWatcher(_root, $"echo-worker-{first.Id}-*") { NotifyFilter = NotifyFilters.DirectoryName };
            watcher.Created += (_, _) =>
            {
                first.Kill();
                created.Release();
            };
            watcher.EnableRaisingEvents = true;
            Assert.True(await created.WaitAsync(TimeSpan.FromSeconds(120)), "the worker never created its scratch folder:\n" + first.Output);
            await first.WaitForExitAsync(TimeSpan.FromSeconds(10));
            orphan = Assert.Single(Directory.GetDirectories(_root, $"echo-worker-{first.Id}-{id}-*"));
        }

        // Whatever the killed worker managed to upload is whole: single-shot uploads are committed at once or not at all.
        foreach (var name in (await fixture.ListAsync(StorageNames.AudioContainer, id.Value)).Where(n => n.EndsWith(".wav", StringComparison.Ordinal)))
        {
            var wav = WavReader.Decode(await fixture.DownloadAsync(StorageNames.AudioContainer, name));
            Assert.True(wav.Samples.Length > 2 * 150_000, $"{name} has only {wav.Samples.Length} samples for two windows.");
        }

        Assert.NotEqual(JobStatus.Succeeded, (await fixture.ReadJobAsync(id)).Status);
        using var second = WorkerProcess.Start(fixture, settings);
        var record = await fixture.WaitForAsync(id, r => r.Status is JobStatus.Succeeded or JobStatus.Failed, TimeSpan.FromSeconds(120));

        Assert.Equal(JobStatus.Succeeded, record.Status);
        Assert.False(Directory.Exists(orphan), $"{orphan} outlived the next worker's start");
        Assert.Contains("scratch folder(s) left by worker processes that no longer run", second.Output, StringComparison.Ordinal);
        Assert.Equal(4, record.Outputs!.Wav.Count);
    }
}
