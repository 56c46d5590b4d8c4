using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure;
using EchoPipeline.Jobs;
using EchoPipeline.Media;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using EchoPipeline.Jobs.Storage;
using Microsoft.Extensions.Options;

namespace EchoPipeline.Ingest;

/// <summary>The media part of a job record: what the probe found (ffprobe, or ImageSharp for a plain PNG or JPEG) and one stored frame per segment.</summary>
public sealed record FrameIngestResult(MediaSummary Media, IReadOnlyList<JobSegment> Segments);

/// <summary>
/// Probes a downloaded input, finds its cuts, plans its segments (fresh windows at cuts) and stores each segment's
/// 256x256 frame in <c>frames</c>. All of that depends only on the input's bytes, so it is done once per content: the
/// frames live under the content's hash (<see cref="StorageNames.ContentFramesFolder"/>) with an index of the probe's
/// summary and the segments written after the last frame, and a later job on the same bytes (another seed, a batch row
/// repeating an input) takes them from the index with one read, remembered for a minute, and runs no FFmpeg.
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
    private const string IndexName = "index.json";

    /// <summary>How long an index read is remembered: a batch submitting thousands of jobs on a few inputs reads each index about once, and frames deleted meanwhile are noticed soon after.</summary>
    private static readonly TimeSpan Remembered = TimeSpan.FromMinutes(1);

    /// <summary>Indexes remembered at most; past it the memo starts over.</summary>
    private const int MemoSize = 1024;

    private readonly ConcurrentDictionary<string, (FrameIngestResult Frames, DateTimeOffset Until)> _memo = new(StringComparer.Ordinal);
    private readonly BlobContainerClient _frames = storage.Container(StorageNames.FramesContainer);
    private readonly IngestOptions _options = options.Value;
    private readonly string _profile = Profile(mediaTools.Options, options.Value);

    public string? TempDirectory => _options.TempDirectory;

    /// <summary>The frames an earlier ingest stored for the bytes that hash to <paramref name="sha256"/>, or null when there are none (yet).</summary>
    public async Task<FrameIngestResult?> FindAsync(string sha256, Dictionary<string, double> timings, CancellationToken cancellationToken)
    {
        var started = clock.Timestamp();
        if (_memo.TryGetValue(sha256, out var memo) && clock.Now() < memo.Until)
        {
            timings["reuse"] = clock.ElapsedMs(started);
            return memo.Frames;
        }

        var folder = StorageNames.ContentFramesFolder(sha256, _profile);
        BinaryData index;
        try
        {
            index = (await _frames.GetBlobClient($"{folder}/{IndexName}").DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value.Content;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }

        FrameIngestResult? found;
        try
        {
            found = JsonSerializer.Deserialize(index.ToMemory().Span, FrameIngestJsonContext.Default.FrameIngestResult);
        }
        catch (JsonException)
        {
            // Not an index this code wrote: extracting again rewrites it.
            return null;
        }

        if (found is null || !Names(found, folder))
        {
            return null;
        }

        Remember(sha256, found);
        timings["reuse"] = clock.ElapsedMs(started);
        return found;
    }

    /// <summary>Moves the download at <paramref name="path"/> (bytes hashing to <paramref name="sha256"/>) into a media workspace (it is gone afterwards) and ingests it.</summary>
    /// <exception cref="MediaException">The input is not a decodable video or image within the limits.</exception>
    public async Task<FrameIngestResult> ExtractAndStoreAsync(string sha256, string path, Dictionary<string, double> timings, CancellationToken cancellationToken)
    {
        var folder = StorageNames.ContentFramesFolder(sha256, _profile);
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
            segments[segment.Index] = await StoreAsync(folder, segment, frame, ct).ConfigureAwait(false);
        }).ConfigureAwait(false);

        var media = new MediaSummary(info.IsStillImage ? "image" : "video", info.DurationSeconds ?? 0, info.Video.Width, info.Video.Height, info.Video.Codec);
        var result = new FrameIngestResult(media, segments);
        // Last, so that an index names only frames already stored. The same bytes always give the same frames, so two
        // ingests of one content racing here write the same blobs.
        await _frames.GetBlobClient($"{folder}/{IndexName}").UploadAsync(
            BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(result, FrameIngestJsonContext.Default.FrameIngestResult)),
            BlobUpload.As("application/json"), cancellationToken).ConfigureAwait(false);
        timings["frames"] = clock.ElapsedMs(started);
        Remember(sha256, result);
        return result;
    }

    private void Remember(string sha256, FrameIngestResult frames)
    {
        if (_memo.Count >= MemoSize)
        {
            _memo.Clear();
        }

        _memo[sha256] = (frames, clock.Now() + Remembered);
    }

    private async Task<JobSegment> StoreAsync(string folder, Segment segment, Frame frame, CancellationToken cancellationToken)
    {
        var png = FramePng.Encode(frame);
        var pngName = string.Create(CultureInfo.InvariantCulture, $"{folder}/{segment.Index:D4}.png");
        await _frames.GetBlobClient(pngName).UploadAsync(BinaryData.FromBytes(png), FrameUpload("image/png", segment), cancellationToken).ConfigureAwait(false);

        string? rawName = null;
        if (_options.WriteRawFrames)
        {
            rawName = string.Create(CultureInfo.InvariantCulture, $"{folder}/{segment.Index:D4}.rgb24");
            await _frames.GetBlobClient(rawName).UploadAsync(new BinaryData(frame.Rgb24), FrameUpload("application/octet-stream", segment), cancellationToken).ConfigureAwait(false);
        }

        return new JobSegment(segment.Index, segment.StartSeconds, segment.DurationSeconds, segment.FrameSeconds, pngName, rawName, segment.StartsShot);
    }

    /// <summary>Whether an index names one frame per segment, in order, all in its own folder, raw ones where this ingest writes them.</summary>
    private bool Names(FrameIngestResult found, string folder) =>
        found is { Media: not null, Segments.Count: > 0 }
        && found.Segments.Select((s, i) => s is not null && s.Index == i
            && s.FramePng?.StartsWith(folder + "/", StringComparison.Ordinal) == true
            && (s.FrameRaw is null ? !_options.WriteRawFrames : s.FrameRaw.StartsWith(folder + "/", StringComparison.Ordinal))).All(ok => ok);

    /// <summary>
    /// What besides the bytes decides the stored frames and the probe's verdict: the limits the probe applies and whether
    /// raw frames are written. A deployment with other settings gets its own folder, so it never reuses what looser
    /// limits accepted; the version changes when the extraction does. Whether still images are decoded in process
    /// counts too: a JPEG's frame from ImageSharp differs from FFmpeg's by a few levels (docs/performance.md).
    /// </summary>
    private static string Profile(MediaOptions media, IngestOptions ingest)
    {
        var settings = string.Create(CultureInfo.InvariantCulture,
            $"frames/v1\n{media.MaxPixels}\n{media.MaxDurationSeconds:R}\n{media.MaxAspectRatio:R}\n{ingest.WriteRawFrames}\n{media.DecodeStillsInProcess}");
        return "v1-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(settings)))[..16];
    }

    private static BlobUploadOptions FrameUpload(string contentType, Segment segment) =>
        BlobUpload.As(contentType, metadata: new Dictionary<string, string>
        {
            ["width"] = Frame.Size.ToString(CultureInfo.InvariantCulture),
            ["height"] = Frame.Size.ToString(CultureInfo.InvariantCulture),
            ["pixelformat"] = "rgb24",
            ["frameseconds"] = segment.FrameSeconds.ToString("R", CultureInfo.InvariantCulture),
        });
}
