using System.Security.Cryptography;
using Azure;
using EchoPipeline.Jobs;
using Azure.Storage.Blobs;
using EchoPipeline.Jobs.Storage;

namespace EchoPipeline.Worker.Processing;

/// <summary>A job's guide frames (one per segment) and the SHA-256 over them, the input hash of the provenance.</summary>
internal sealed record JobInputs(IReadOnlyList<byte[]> Frames, string FramesSha256)
{
    /// <summary>256x256 rgb24, as the ingest stores it.</summary>
    public const int FrameBytes = 256 * 256 * 3;
}

/// <summary>
/// Reads the raw frames the job record names (the ingest stores them once per input content); records from before that
/// name none and point at <c>frames/&lt;jobId&gt;/&lt;index&gt;.rgb24</c>.
/// </summary>
internal sealed class JobInputReader(EchoStorage storage)
{
    private readonly BlobContainerClient _frames = storage.Container(StorageNames.FramesContainer);

    public async Task<JobInputs> ReadAsync(JobRecord record, CancellationToken cancellationToken)
    {
        var names = record.Segments.Count == 0
            ? [StorageNames.FrameRawBlob(record.Id, 0)]
            : record.Segments.OrderBy(s => s.Index).Select(s => s.FrameRaw ?? StorageNames.FrameRawBlob(record.Id, s.Index)).ToList();
        var frames = new List<byte[]>(names.Count);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var name in names)
        {
            var frame = await DownloadAsync(name, cancellationToken).ConfigureAwait(false);
            hash.AppendData(frame);
            frames.Add(frame);
        }

        return new JobInputs(frames, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    private async Task<byte[]> DownloadAsync(string name, CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            bytes = (await _frames.GetBlobClient(name).DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value.Content.ToArray();
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            throw new JobFailedException(WorkerErrorCodes.FrameMissing, $"Frame blob '{StorageNames.FramesContainer}/{name}' does not exist; the ingest writes it before enqueuing, so submit the input again.", ex);
        }

        if (bytes.Length != JobInputs.FrameBytes)
        {
            throw new JobFailedException(WorkerErrorCodes.FrameInvalid,
                $"Frame blob '{StorageNames.FramesContainer}/{name}' has {bytes.Length} bytes; a 256x256 rgb24 frame has {JobInputs.FrameBytes}.");
        }

        return bytes;
    }
}
