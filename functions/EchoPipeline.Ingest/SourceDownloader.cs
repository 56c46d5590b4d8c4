using EchoPipeline.Jobs;
using EchoPipeline.Jobs.Outbound;
using EchoPipeline.Jobs.Storage;
using Microsoft.Extensions.Options;

namespace EchoPipeline.Ingest;

/// <summary>What a URL download produced.</summary>
public sealed record DownloadedSource(string Sha256, long Length, string? ContentType);

/// <summary>
/// Downloads URL sources to a local file with a size cap, hashing as it goes. Only https (http when configured),
/// only public addresses (unless configured), at most 5 redirects, a whole-transfer time limit. The HttpClient comes
/// from the factory (<see cref="SourceDownloadServiceCollectionExtensions.AddSourceDownloader"/>): the guard is its
/// primary handler and transient answers are retried within the time limit.
/// </summary>
public sealed class SourceDownloader(IHttpClientFactory clients, IOptions<IngestOptions> options)
{
    public const string ClientName = "source-downloads";

    private readonly IngestOptions _options = options.Value;

    /// <exception cref="SourceRejectedException">Wrong scheme, refused address, HTTP error, too large, or timed out.</exception>
    public async Task<DownloadedSource> DownloadAsync(Uri url, string destinationPath, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        CheckScheme(url);
        // The client has no timeout of its own: this bounds the whole transfer, retries and body included, so a server
        // dripping bytes or answering 503 cannot hold the ingest.
        using var transfer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        transfer.CancelAfter(_options.DownloadTimeout);
        try
        {
            using var response = await clients.CreateClient(ClientName).GetAsync(url, HttpCompletionOption.ResponseHeadersRead, transfer.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new SourceRejectedException(JobErrorCodes.DownloadFailed,
                    $"GET {url} answered {(int)response.StatusCode} {response.ReasonPhrase}; check that the URL is public and still valid.");
            }

            if (response.Content.Headers.ContentLength > _options.MaxDownloadBytes)
            {
                throw TooLarge(url, response.Content.Headers.ContentLength.Value);
            }

            await using var body = await response.Content.ReadAsStreamAsync(transfer.Token).ConfigureAwait(false);
            await using var file = new FileStream(destinationPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true);
            var (hash, length) = await CappedCopy.CopyAsync(body, file, _options.MaxDownloadBytes, total => TooLarge(url, total), transfer.Token).ConfigureAwait(false);
            return new DownloadedSource(hash, length, response.Content.Headers.ContentType?.MediaType);
        }
        catch (HttpRequestException ex) when (GuardedConnector.FindRefusal(ex) is { } refused)
        {
            throw new SourceRejectedException(JobErrorCodes.SourceRefused,
                $"{url} was not downloaded: {refused.Message} Only public addresses are allowed (Ingest:AllowPrivateNetworkSources).", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new SourceRejectedException(JobErrorCodes.DownloadFailed, $"GET {url} failed: {ex.Message}", ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SourceRejectedException(JobErrorCodes.DownloadFailed,
                $"GET {url} did not finish within {_options.DownloadTimeout} (Ingest:DownloadTimeout).", ex);
        }
    }

    private void CheckScheme(Uri url)
    {
        var https = url.Scheme == Uri.UriSchemeHttps;
        var http = url.Scheme == Uri.UriSchemeHttp && _options.AllowHttpSources;
        if (!url.IsAbsoluteUri || !(https || http))
        {
            throw new SourceRejectedException(JobErrorCodes.DownloadFailed, $"{url} is not an https URL; only https sources are downloaded.");
        }
    }

    private SourceRejectedException TooLarge(Uri url, long bytes) => new(JobErrorCodes.DownloadFailed,
        $"{url} is larger than the {_options.MaxDownloadBytes} byte limit (at least {bytes} bytes; Ingest:MaxDownloadBytes). Upload it to the 'videos' container instead.");
}
