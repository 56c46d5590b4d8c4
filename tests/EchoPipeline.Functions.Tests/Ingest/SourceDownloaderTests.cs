using System.Diagnostics;
using EchoPipeline.Functions.Tests.Support;
using EchoPipeline.Ingest;
using EchoPipeline.Jobs;
using Microsoft.Extensions.Options;

namespace EchoPipeline.Functions.Tests.Ingest;

public sealed class SourceDownloaderTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("echo-download-").FullName;
    private SourceServer _server = null!;

    public async Task InitializeAsync() => _server = await SourceServer.StartAsync(new Dictionary<string, byte[]>());

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task A_server_dripping_bytes_is_cut_off_at_the_download_timeout()
    {
        using var downloader = new SourceDownloader(Options.Create(new IngestOptions
        {
            AllowHttpSources = true, AllowPrivateNetworkSources = true, DownloadTimeout = TimeSpan.FromSeconds(1),
        }));
        var clock = Stopwatch.StartNew();

        var refused = await Assert.ThrowsAsync<SourceRejectedException>(() =>
            downloader.DownloadAsync(_server.Url("/drip"), Path.Combine(_folder, "source"), CancellationToken.None));

        Assert.Equal(JobErrorCodes.DownloadFailed, refused.Code);
        Assert.Contains("did not finish within", refused.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"the download held on for {clock.Elapsed}");
    }
}
