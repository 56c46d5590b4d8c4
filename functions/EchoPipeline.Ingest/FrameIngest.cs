using EchoPipeline.Jobs;
using EchoPipeline.Media;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using EchoPipeline.Jobs.Storage;
using Microsoft.Extensions.Options;

namespace EchoPipeline.Ingest;

/// <summary>The media part of a job record: what ffprobe found and one stored frame per segment.</summary>
public sealed record FrameIngestResult(MediaSummary Media, IReadOnlyList<JobSegment> Segments);

/// <summary>
/// Probes a downloaded input, finds its cuts, plans its segments (fresh windows at cuts) and stores each segment's
/// 256x256 frame in <c>frames</c>.
/// </summary>
public sealed class FrameIngest(
    EchoStorage storage,
    MediaTools mediaTools,
    MediaProbe probe,
    MiddleFrameExtractor extractor,
    ShotDetector shots,
    IOptions<IngestOptions> options,
    IngestClock clock)
{
    private readonly BlobContainerClient _frames = storage.Container(StorageNames.FramesContainer);
    private readonly IngestOptions _options = options.Value;

    public string? TempDirectory => _options.TempDirectory;

    /// <summary>Moves the download at <paramref name="path"/> into a media workspace (it is gone afterwards) and ingests it.</summary>
    /// <exception cref="MediaException">The input is not a decodable video or image within the limits.</exception>
    public async Task<FrameIngestResult> ExtractAndStoreAsync(JobId id, string path, Dictionary<string, double> timings, CancellationToken cancellationToken)
    {
        using var workspace = mediaTools.CreateWorkspace(_options.TempDirectory);
        var started = clock.Timestamp();
        var info = await probe.ProbeAsync(workspace.MoveIn(path), cancellationToken).ConfigureAwait(false);
        timings["probe"] = clock.ElapsedMs(started);

        started = clock.Timestamp();
        var cuts = await shots.DetectCutsAsync(info, cancellationToken).ConfigureAwait(false);
        timings["shots"] = clock.ElapsedMs(started);

        started = clock.Timestamp();
        var plan = SegmentPlanner.Plan(info, cuts);
        var segments = new JobSegment[plan.Count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _options.FrameConcurrency), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(plan, parallel, async (segment, ct) =>
        {
            var frame = await extractor.ExtractAtAsync(info, segment.FrameTime, ct).ConfigureAwait(false);
            segments[segment.Index] = await StoreAsync(id, segment, frame, ct).ConfigureAwait(false);
        }).ConfigureAwait(false);
        timings["frames"] = clock.ElapsedMs(started);

        var media = new MediaSummary(info.IsStillImage ? "image" : "video", info.DurationSeconds ?? 0, info.Video.Width, info.Video.Height, info.Video.Codec);
        return new FrameIngestResult(media, segments);
    }

    private async Task<JobSegment> StoreAsync(JobId id, Segment segment, Frame frame, CancellationToken cancellationToken)
    {
        var png = FramePng.Encode(frame);
        var pngName = StorageNames.FramePngBlob(id, segment.Index);
        await _frames.GetBlobClient(pngName).UploadAsync(BinaryData.FromBytes(png), FrameUpload("image/png", segment), cancellationToken).ConfigureAwait(false);

        string? rawName = null;
        if (_options.WriteRawFrames)
        {
            rawName = StorageNames.FrameRawBlob(id, segment.Index);
            await _frames.GetBlobClient(rawName).UploadAsync(new BinaryData(frame.Rgb24), FrameUpload("application/octet-stream", segment), cancellationToken).ConfigureAwait(false);
        }

        return new JobSegment(segment.Index, segment.StartSeconds, segment.DurationSeconds, segment.FrameSeconds, pngName, rawName, segment.StartsShot);
    }

    private static BlobUploadOptions FrameUpload(string contentType, Segment segment) =>
        BlobUpload.As(contentType, metadata: new Dictionary<string, string>
        {
            ["width"] = Frame.Size.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["height"] = Frame.Size.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["pixelformat"] = "rgb24",
            ["frameseconds"] = segment.FrameSeconds.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        });
}
