using Azure;
using EchoPipeline.Jobs;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using EchoPipeline.Jobs.Storage;

namespace EchoPipeline.Cli.LocalPipeline;

/// <summary>Uploads one input to <c>videos</c> under its file name and delivers its BlobCreated event, as Event Grid would.</summary>
internal sealed class InputSubmitter(EchoStorage storage, EventDelivery delivery)
{
    private readonly BlobContainerClient _videos = storage.Container(StorageNames.VideosContainer);

    /// <summary>The job the ingest made or found; or a failed entry when there is none (unreadable file, refused event).</summary>
    public async Task<(string? JobId, SummaryEntry? Failure)> SubmitAsync(string path, CancellationToken cancellationToken)
    {
        var name = Path.GetFileName(path);
        FileStream file;
        try
        {
            file = File.OpenRead(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, SummaryEntry.Failure(name, "unreadable_file", $"cannot read {path}: {e.Message} Check that it exists and that you may read it."));
        }

        BlobContentInfo uploaded;
        long length;
        await using (file.ConfigureAwait(false))
        {
            length = file.Length;
            try
            {
                uploaded = (await _videos.GetBlobClient(name).UploadAsync(file, BlobUpload.As(ContentTypes.For(name)), cancellationToken).ConfigureAwait(false)).Value;
            }
            catch (RequestFailedException e)
            {
                return (null, SummaryEntry.Failure(name, "upload_failed", $"storage refused the upload of '{name}': {e.Message}", name));
            }
        }

        var job = await delivery.DeliverAsync(new UploadedBlob(StorageNames.VideosContainer, name, uploaded.ETag.ToString(), length, ContentTypes.For(name)), cancellationToken).ConfigureAwait(false);
        return job.JobId is { } jobId
            ? (jobId, null)
            : (null, SummaryEntry.Failure(name, "not_ingested", $"the ingest made no job for '{name}': {job.Message ?? job.Disposition}", name));
    }
}
