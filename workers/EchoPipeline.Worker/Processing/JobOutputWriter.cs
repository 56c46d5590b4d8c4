using System.Globalization;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using EchoPipeline.Engine.Audio;
using EchoPipeline.Engine.Generation;
using EchoPipeline.Jobs;
using EchoPipeline.Media;
using EchoPipeline.Jobs.Storage;
using EchoPipeline.Worker.Telemetry;
using Microsoft.Extensions.Options;

namespace EchoPipeline.Worker.Processing;

/// <summary>
/// Writes one job's outputs. Every blob is uploaded whole from bytes or a finished local file (a Put Blob, or blocks
/// committed at once), so a reader never sees half a file, and every byte depends only on the job (deterministic WAV,
/// fixed ffmpeg arguments), so a retried job overwrites its outputs with identical ones. The source video is probed
/// again before muxing: the blob may have been replaced since the ingest accepted it.
/// </summary>
internal sealed class JobOutputWriter(EchoStorage storage, IOptions<MediaOptions> mediaOptions, MediaTools media, MediaProbe probe, SoundtrackMuxer muxer, WorkerTelemetry telemetry, TimeProvider time)
{
    private readonly BlobContainerClient _audio = storage.Container(StorageNames.AudioContainer);
    private readonly BlobContainerClient _scored = storage.Container(StorageNames.ScoredContainer);
    private readonly BlobContainerClient _videos = storage.Container(StorageNames.VideosContainer);

    public static string WavBlob(JobId id, int variation) => $"{id}/{variation:D2}.wav";

    public static string SpectrogramBlob(JobId id, int variation) => $"{id}/{variation:D2}.png";

    public async Task<JobResultUris> WriteAsync(
        JobRecord record, IReadOnlyList<GeneratedAudio> variations, string inputSha256, string workDirectory, IDictionary<string, double> timings, CancellationToken cancellationToken)
    {
        var outputs = record.Parameters.Outputs ?? [JobOutputs.Wav];
        var scoredWanted = outputs.Contains(JobOutputs.ScoredVideo) && record.Media is { Kind: "video" };
        using var workspace = media.CreateWorkspace(workDirectory);
        var sourceVideo = scoredWanted ? await Timed("download_video", timings, () => DownloadSourceAsync(record, workDirectory, cancellationToken)).ConfigureAwait(false) : null;
        var video = sourceVideo is null ? null : await Timed("probe_video", timings, () => probe.ProbeAsync(workspace.MoveIn(sourceVideo), cancellationToken)).ConfigureAwait(false);
        var uris = new JobResultUris();
        for (var v = 0; v < variations.Count; v++)
        {
            var audio = variations[v];
            var wav = WavWriter.Encode(audio.Waveform, audio.SampleRate, WavInfo(record.Id, v, audio.Provenance, inputSha256));
            await Timed("upload_wav", timings, () => _audio.GetBlobClient(WavBlob(record.Id, v)).UploadAsync(BinaryData.FromBytes(wav), BlobUpload.As("audio/wav"), cancellationToken)).ConfigureAwait(false);
            uris = uris with { Wav = [.. uris.Wav, _audio.GetBlobClient(WavBlob(record.Id, v)).Uri] };

            if (outputs.Contains(JobOutputs.Spectrogram))
            {
                var png = await Timed("spectrogram", timings, () => Task.FromResult(SpectrogramImage.RenderPng(audio.Mel))).ConfigureAwait(false);
                await _audio.GetBlobClient(SpectrogramBlob(record.Id, v)).UploadAsync(BinaryData.FromBytes(png), BlobUpload.As("image/png"), cancellationToken).ConfigureAwait(false);
                uris = uris with { Spectrogram = [.. uris.Spectrogram, _audio.GetBlobClient(SpectrogramBlob(record.Id, v)).Uri] };
            }

            if (video is not null)
            {
                var name = ScoredBlob(record, v);
                var scoredPath = Path.Combine(workDirectory, $"scored-{v:D2}{Path.GetExtension(name)}");
                await Timed("mux", timings, () => muxer.MuxAsync(video, wav, scoredPath, ScoredComment(record.Id, v, audio.Provenance), cancellationToken)).ConfigureAwait(false);
                var file = File.OpenRead(scoredPath);
                await using (file.ConfigureAwait(false))
                {
                    var type = name.EndsWith(".mkv", StringComparison.Ordinal) ? "video/x-matroska" : "video/mp4";
                    await _scored.GetBlobClient(name).UploadAsync(file, BlobUpload.As(type), cancellationToken).ConfigureAwait(false);
                }

                uris = uris with { ScoredVideo = [.. uris.ScoredVideo, _scored.GetBlobClient(name).Uri] };
            }
        }

        return uris;
    }

    /// <summary>The scored video's comment tag: its soundtrack is AI-generated, by which model, for which job.</summary>
    private static string ScoredComment(JobId id, int variation, GenerationProvenance provenance)
    {
        var bundle = new string([.. provenance.BundleId.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_')]);
        return string.Create(CultureInfo.InvariantCulture, $"ai_generated_audio=true; software=EchoPipeline; model={bundle}; job={id}; variation={variation}");
    }

    /// <summary>MP4 for codecs it carries; Matroska for the rest (the video stream is copied, never re-encoded).</summary>
    private static string ScoredBlob(JobRecord record, int variation)
    {
        var mp4 = record.Media?.Codec is "h264" or "hevc" or "av1" or "mpeg4" or "vp9";
        return $"{record.Id}/{variation:D2}{(mp4 ? ".mp4" : ".mkv")}";
    }

    /// <summary>The provenance line of the engine plus what the job adds: the input hash and the job/variation.</summary>
    private static KeyValuePair<string, string>[] WavInfo(JobId id, int variation, GenerationProvenance provenance, string inputSha256) =>
    [
        new("ISFT", GenerationProvenance.Software),
        new("ICMT", string.Create(CultureInfo.InvariantCulture, $"{provenance} input_sha256={inputSha256} job={id} variation={variation}")),
    ];

    private async Task<string> DownloadSourceAsync(JobRecord record, string workDirectory, CancellationToken cancellationToken)
    {
        // Pinned to what the ingest saw: the recorded ETag (If-Match), length and hash. A source overwritten since
        // (a 100 GB blob, a playlist) fails the job instead of filling the disk or muxing something else.
        var source = record.Source;
        var where = $"'{source.Container}/{source.BlobName}'";
        var path = Path.Combine(workDirectory, "source");
        var conditions = source.ETag is { Length: > 0 } etag ? new BlobRequestConditions { IfMatch = new ETag(etag) } : null;
        var limit = source.ContentLength ?? mediaOptions.Value.MaxBytes;
        try
        {
            var download = await _videos.GetBlobClient(source.BlobName).DownloadStreamingAsync(new BlobDownloadOptions { Conditions = conditions }, cancellationToken).ConfigureAwait(false);
            using var content = download.Value;
            var file = File.Create(path);
            await using (file.ConfigureAwait(false))
            {
                var (sha256, length) = await CappedCopy.CopyAsync(content.Content, file, limit, total => new JobFailedException(WorkerErrorCodes.SourceChanged,
                    $"The source video {where} now has more than the {limit} bytes it had at ingest; upload it again to score the new file."), cancellationToken).ConfigureAwait(false);
                if ((source.ContentLength is { } expected && expected != length) || (source.ContentSha256 is { } hash && hash != sha256))
                {
                    throw new JobFailedException(WorkerErrorCodes.SourceChanged, $"The source video {where} is not the file the job was made from (length or SHA-256 differ); upload it again.");
                }
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            throw new JobFailedException(WorkerErrorCodes.SourceNotFound,
                $"The source video {where} is gone, so no scored video can be made; upload it again.", ex);
        }
        catch (RequestFailedException ex) when (ex.Status == 412)
        {
            throw new JobFailedException(WorkerErrorCodes.SourceChanged,
                $"The source video {where} was overwritten after ingest (its ETag is no longer {source.ETag}); upload it again to score the new file.", ex);
        }

        return path;
    }

    private async Task<T> Timed<T>(string stage, IDictionary<string, double> timings, Func<Task<T>> run)
    {
        var started = time.GetTimestamp();
        var result = await run().ConfigureAwait(false);
        var elapsed = time.GetElapsedTime(started);
        timings[stage] = timings.TryGetValue(stage, out var sum) ? sum + elapsed.TotalMilliseconds : elapsed.TotalMilliseconds;
        telemetry.RecordStage(stage, elapsed);
        return result;
    }

    private Task<bool> Timed(string stage, IDictionary<string, double> timings, Func<Task> run) =>
        Timed(stage, timings, async () =>
        {
            await run().ConfigureAwait(false);
            return true;
        });
}
