using EchoPipeline.Cli.Commands;
using EchoPipeline.Cli.LocalPipeline;
using EchoPipeline.Testing;

namespace EchoPipeline.Cli.Tests.LocalPipeline;

/// <summary>
/// One `demo` run shared by the tests that read its results: Azurite, the ingest in-process and one worker
/// process on loopback, the tiny bundle, and four inputs: a sample video, a still under a hostile (but legal) name,
/// a corrupt "video" and a name the ingest refuses.
/// </summary>
public sealed class DemoRunFixture : IAsyncLifetime
{
    public const string Video = "red-stripes.mp4";
    public const string HostileStill = "-rf $(touch pwned) 'quoted' <b>ü.png";
    public const string Corrupt = "corrupt.mp4";
    public const string RefusedName = "back\\slash.png";

    private readonly string _root = Directory.CreateTempSubdirectory("echopipe-demo-").FullName;

    public string OutFolder => Path.Combine(_root, "out");

    public int ExitCode { get; private set; }

    public TimeSpan Elapsed { get; private set; }

    public async Task InitializeAsync()
    {
        var inputs = Directory.CreateDirectory(Path.Combine(_root, "inputs")).FullName;
        File.Copy(Path.Combine(RepoPaths.Root, "samples", "videos", Video), Path.Combine(inputs, Video));
        File.Copy(Path.Combine(RepoPaths.Root, "samples", "images", "cells.png"), Path.Combine(inputs, HostileStill));
        File.Copy(Path.Combine(RepoPaths.Root, "samples", "images", "gradient.png"), Path.Combine(inputs, RefusedName));
        // An MP4 header followed by garbage: ffprobe cannot decode it.
        var corrupt = (await File.ReadAllBytesAsync(Path.Combine(inputs, Video)))[..64].Concat(Enumerable.Repeat((byte)0x5A, 4000)).ToArray();
        await File.WriteAllBytesAsync(Path.Combine(inputs, Corrupt), corrupt);

        var settings = new DemoSettings(DemoCommand.InputFiles(new DirectoryInfo(inputs)), OutFolder, RepoPaths.Fixture("bundles", "tiny"),
            Workers: 1, Timeout: TimeSpan.FromMinutes(3));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        ExitCode = await DemoCommand.RunAsync(settings, CancellationToken.None);
        Elapsed = clock.Elapsed;
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_root, recursive: true);
        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class DemoRunTests : ICollectionFixture<DemoRunFixture>
{
    public const string Name = "demo run";
}
