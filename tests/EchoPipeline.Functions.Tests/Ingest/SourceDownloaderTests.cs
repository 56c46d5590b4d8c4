using System.Diagnostics;
using System.Security.Cryptography;
using EchoPipeline.Functions.Tests.Support;
using EchoPipeline.Ingest;
using EchoPipeline.Jobs;
using Microsoft.Extensions.DependencyInjection;

namespace EchoPipeline.Functions.Tests.Ingest;

/// <summary>The downloader as the ingest registers it (factory client, guard, retries) against a loopback site.</summary>
public sealed class SourceDownloaderTests : IAsyncLifetime
{
    private static readonly byte[] Clip = RandomNumberGenerator.GetBytes(4096);
    private readonly string _folder = Directory.CreateTempSubdirectory("echo-download-").FullName;
    private SourceServer _server = null!;

    public async Task InitializeAsync() => _server = await SourceServer.StartAsync(new Dictionary<string, byte[]> { ["clip.mp4"] = Clip });

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task A_server_dripping_bytes_is_cut_off_at_the_download_timeout()
    {
        using var services = Downloader(out var downloader, timeout: TimeSpan.FromSeconds(1));
        var clock = Stopwatch.StartNew();

        var refused = await Assert.ThrowsAsync<SourceRejectedException>(() => DownloadAsync(downloader, "/drip"));

        Assert.Equal(JobErrorCodes.DownloadFailed, refused.Code);
        Assert.Contains("did not finish within", refused.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"the download held on for {clock.Elapsed}");
    }

    [Fact]
    public async Task A_source_that_answers_503_once_is_downloaded_on_the_next_attempt()
    {
        using var services = Downloader(out var downloader);

        var downloaded = await DownloadAsync(downloader, "/flaky/clip.mp4");

        Assert.Equal((Convert.ToHexStringLower(SHA256.HashData(Clip)), (long)Clip.Length), (downloaded.Sha256, downloaded.Length));
        Assert.Equal(Clip, await File.ReadAllBytesAsync(Path.Combine(_folder, "source")));
        Assert.Equal(["/flaky/clip.mp4", "/flaky/clip.mp4"], _server.Requests);
    }

    [Fact]
    public async Task A_source_that_keeps_answering_503_fails_naming_the_status_after_three_attempts()
    {
        using var services = Downloader(out var downloader);

        var failed = await Assert.ThrowsAsync<SourceRejectedException>(() => DownloadAsync(downloader, "/status/503"));

        Assert.Equal(JobErrorCodes.DownloadFailed, failed.Code);
        Assert.Contains("answered 503", failed.Message, StringComparison.Ordinal);
        Assert.Equal(3, _server.Requests.Count);
    }

    [Fact]
    public async Task A_missing_source_is_asked_for_once()
    {
        using var services = Downloader(out var downloader);

        var failed = await Assert.ThrowsAsync<SourceRejectedException>(() => DownloadAsync(downloader, "/files/gone.mp4"));

        Assert.Contains("answered 404", failed.Message, StringComparison.Ordinal);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task A_private_source_is_refused_at_connect_time_and_never_reached()
    {
        using var services = Downloader(out var downloader, allowPrivate: false);

        var refused = await Assert.ThrowsAsync<SourceRejectedException>(() => DownloadAsync(downloader, "/files/clip.mp4"));

        Assert.Equal(JobErrorCodes.SourceRefused, refused.Code);
        Assert.Empty(_server.Requests);
        Assert.False(File.Exists(Path.Combine(_folder, "source")));
    }

    private static ServiceProvider Downloader(out SourceDownloader downloader, bool allowPrivate = true, TimeSpan? timeout = null)
    {
        var services = new ServiceCollection();
        services.AddOptions<IngestOptions>().Configure(o =>
        {
            o.AllowHttpSources = true;
            o.AllowPrivateNetworkSources = allowPrivate;
            o.DownloadTimeout = timeout ?? TimeSpan.FromSeconds(30);
        });
        var provider = services.AddSourceDownloader().BuildServiceProvider();
        downloader = provider.GetRequiredService<SourceDownloader>();
        return provider;
    }

    private Task<DownloadedSource> DownloadAsync(SourceDownloader downloader, string path) =>
        downloader.DownloadAsync(_server.Url(path), Path.Combine(_folder, "source"), CancellationToken.None);
}
