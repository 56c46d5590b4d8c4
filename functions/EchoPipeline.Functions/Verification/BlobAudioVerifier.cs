using Azure;
using Azure.Storage.Blobs.Models;
using EchoPipeline.Ingest;
using EchoPipeline.Jobs.Storage;
using EchoPipeline.Media;
using EchoPipeline.Provenance.Watermarking;
using Microsoft.Extensions.Options;

namespace EchoPipeline.Functions.Verification;

/// <summary>
/// VerifyAudio's work on one blob of the data account: its size checked before any byte is read, the bytes downloaded
/// (pinned to the ETag just read, cut off past <see cref="VerifyAudioOptions.MaxBytes"/>) into a fresh media workspace
/// under a generated name, then the shared <see cref="AudioVerifier"/> with the deployment's keys (current, then retired).
/// </summary>
public sealed class BlobAudioVerifier(
    EchoStorage storage, MediaTools tools, AudioVerifier verifier,
    IOptions<VerifyAudioOptions> options, IOptions<WatermarkOptions> watermark, IOptions<IngestOptions> ingest)
{
    private readonly Lazy<IReadOnlyList<WatermarkKey>> _keys = new(() => watermark.Value.VerificationKeys());

    /// <summary>The data account's blob endpoint: URLs naming anything else are refused.</summary>
    public Uri AccountEndpoint => storage.Blobs.Uri;

    /// <exception cref="MediaException"><c>not_found</c>, <c>empty_file</c>, <c>too_large</c>, or what decoding the blob found.</exception>
    /// <exception cref="RequestFailedException">412 when the blob changed while it was read; other storage failures.</exception>
    public async Task<AudioVerification> VerifyAsync(BlobReference blob, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blob);
        var name = blob.ToString();
        var maxBytes = options.Value.MaxBytes;
        var client = storage.Container(blob.Container).GetBlobClient(blob.Name);
        BlobProperties properties;
        try
        {
            properties = (await client.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            throw new MediaException(MediaErrorCode.NotFound, $"There is no blob '{name}'.", name, innerException: ex);
        }

        if (properties.ContentLength == 0)
        {
            throw new MediaException(MediaErrorCode.EmptyFile, $"'{name}' is empty (0 bytes).", name);
        }

        if (properties.ContentLength > maxBytes)
        {
            throw new MediaException(MediaErrorCode.TooLarge, $"'{name}' is {properties.ContentLength} bytes; VerifyAudio reads at most {maxBytes} (VerifyAudio:MaxBytes).", name);
        }

        using var workspace = tools.CreateWorkspace(ingest.Value.TempDirectory);
        var download = Path.Combine(workspace.Directory, "download");
        var conditions = new BlobRequestConditions { IfMatch = properties.ETag };
        using (var response = (await client.DownloadStreamingAsync(new BlobDownloadOptions { Conditions = conditions }, cancellationToken).ConfigureAwait(false)).Value)
        {
            var file = new FileStream(download, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true);
            await using (file.ConfigureAwait(false))
            {
                await CappedCopy.CopyAsync(response.Content, file, maxBytes,
                    _ => new MediaException(MediaErrorCode.TooLarge, $"'{name}' grew past {maxBytes} bytes while it was read (VerifyAudio:MaxBytes).", name),
                    cancellationToken).ConfigureAwait(false);
            }
        }

        return await verifier.VerifyAsync(workspace.MoveIn(download, name), _keys.Value, options.Value.MaxSeconds, cancellationToken).ConfigureAwait(false);
    }
}
