using System.Diagnostics;
using EchoPipeline.Cli.Commands;
using EchoPipeline.Cli.LocalPipeline;
using EchoPipeline.LocalServices;
using EchoPipeline.Testing;

namespace EchoPipeline.Cli.Tests.LocalPipeline;

/// <summary>Starting and stopping the local pipeline, and the errors a person can act on.</summary>
public sealed class LocalPipelineHostTests
{
    private static readonly string TinyBundle = RepoPaths.Fixture("bundles", "tiny");

    [Fact]
    public async Task Disposing_stops_azurite_and_every_worker()
    {
        int[] pids;
        Uri storage;
        await using (var host = await LocalPipelineHost.StartAsync(2, TinyBundle, null, CancellationToken.None))
        {
            pids = [.. host.Workers.Workers.Select(w => w.Id)];
            storage = host.Storage.Blobs.Uri;
            Assert.True(await LoopbackPorts.AcceptsAsync(storage.Port, CancellationToken.None));
            Assert.All(pids, pid => Assert.False(Process.GetProcessById(pid).HasExited));
        }

        Assert.All(pids, pid => Assert.False(IsRunning(pid), $"worker {pid} still runs"));
        Assert.False(await LoopbackPorts.AcceptsAsync(storage.Port, CancellationToken.None), "Azurite still listens");
    }

    [Fact]
    public async Task Cancelling_a_demo_mid_run_stops_the_services()
    {
        var inputs = Directory.CreateTempSubdirectory("echopipe-cancel-").FullName;
        try
        {
            File.Copy(Path.Combine(RepoPaths.Root, "samples", "videos", "violet-clouds.mp4"), Path.Combine(inputs, "clip.mp4"));
            using var cancel = new CancellationTokenSource();
            Uri? storage = null;
            var progress = new InlineProgress(line =>
            {
                if (line.StartsWith("storage on ", StringComparison.Ordinal))
                {
                    storage = new Uri(line["storage on ".Length..]);
                }
                else if (line.StartsWith("uploading", StringComparison.Ordinal))
                {
                    cancel.Cancel(); // what Ctrl-C does to the command's token
                }
            });
            var settings = new DemoSettings([Path.Combine(inputs, "clip.mp4")], Path.Combine(inputs, "out"), TinyBundle, 1, TimeSpan.FromMinutes(2));

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => DemoRunner.RunAsync(settings, progress, cancel.Token));

            Assert.NotNull(storage);
            Assert.False(await LoopbackPorts.AcceptsAsync(storage.Port, CancellationToken.None), "Azurite still listens");
            Assert.False(File.Exists(Path.Combine(inputs, "out", "summary.json")));
        }
        finally
        {
            Directory.Delete(inputs, recursive: true);
        }
    }

    [Fact]
    public async Task A_bad_bundle_exits_4_before_anything_starts()
    {
        var bundle = Directory.CreateTempSubdirectory("echopipe-badbundle-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(bundle, "bundle.json"), "{ not json");
            var settings = new DemoSettings([Path.Combine(RepoPaths.Root, "samples", "images", "cells.png")], Path.Combine(bundle, "out"), bundle, 1, TimeSpan.FromMinutes(1));

            Assert.Equal(ExitCodes.BadBundle, await DemoCommand.RunAsync(settings, CancellationToken.None));
            Assert.False(Directory.Exists(Path.Combine(bundle, "out")));
        }
        finally
        {
            Directory.Delete(bundle, recursive: true);
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private sealed class InlineProgress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}
