using System.Globalization;
using EchoPipeline.Engine.Audio;
using EchoPipeline.Engine.Generation;
using EchoPipeline.Jobs;
using EchoPipeline.Media;
using EchoPipeline.Storage;
using EchoPipeline.Storage.Blobs;
using EchoPipeline.Worker.Telemetry;

namespace EchoPipeline.Worker.Processing;

/// <summary>
/// Writes one job's outputs. Every blob is uploaded whole from bytes or a finished local file (a Put Blob, or blocks
/// committed at once), so a reader never sees half a file, and every byte depends only on the job (deterministic WAV,
/// fixed ffmpeg arguments), so a retried job overwrites its outputs with identical ones. The source video is probed
/// again before muxing: the blob may have been replaced since the ingest accepted it.
/// </summary>
internal sealed class JobOutputWriter(StorageAccount account, MediaTools media, MediaProbe probe, SoundtrackMuxer muxer, WorkerTelemetry telemetry, TimeProvider time)
{
    private readonly BlobContainerClient _audio = account.GetBlobContainerClient(StorageNames.AudioContainer);
    private readonly BlobContainerClient _scored = account.GetBlobContainerClient(StorageNames.ScoredContainer);
    private readonly BlobContainerClient _videos = account.GetBlobContainerClient(StorageNames.VideosContainer);

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
            await Timed("upload_wav", timings, () => _audio.UploadAsync(WavBlob(record.Id, v), BinaryData.FromBytes(wav), new BlobUploadOptions { ContentType = "audio/wav" }, cancellationToken)).ConfigureAwait(false);
            uris = uris with { Wav = [.. uris.Wav, _audio.GetBlobUri(WavBlob(record.Id, v))] };

            if (outputs.Contains(JobOutputs.Spectrogram))
            {
                var png = await Timed("spectrogram", timings, () => Task.FromResult(SpectrogramImage.RenderPng(audio.Mel))).ConfigureAwait(false);
                await _audio.UploadAsync(SpectrogramBlob(record.Id, v), BinaryData.FromBytes(png), new BlobUploadOptions { ContentType = "image/png" }, cancellationToken).ConfigureAwait(false);
                uris = uris with { Spectrogram = [.. uris.Spectrogram, _audio.GetBlobUri(SpectrogramBlob(record.Id, v))] };
            }

            if (video is not null)
            {
                var name = ScoredBlob(record, v);
                var scoredPath = Path.Combine(workDirectory, $"scored-{v:D2}{Path.GetExtension(name)}");
                await Timed("mux", timings, () => muxer.MuxAsync(video, wav, scoredPath, cancellationToken)).ConfigureAwait(false);
                var file = File.OpenRead(scoredPath);
                await using (file.ConfigureAwait(false))
                {
                    var type = name.EndsWith(".mkv", StringComparison.Ordinal) ? "video/x-matroska" : "video/mp4";
                    await _scored.UploadAsync(name, file, new BlobUploadOptions { ContentType = type }, cancellationToken).ConfigureAwait(false);
                }

                uris = uris with { ScoredVideo = [.. uris.ScoredVideo, _scored.GetBlobUri(name)] };
            }
        }

        return uris;
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
        var path = Path.Combine(workDirectory, "source");
        try
        {
            var download = await _videos.DownloadStreamingAsync(record.Source.BlobName, cancellationToken: cancellationToken).ConfigureAwait(false);
            using var content = download.Value;
            var file = File.Create(path);
            await using (file.ConfigureAwait(false))
            {
                await content.Content.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Azure.RequestFailedException ex) when (ex.Status == 404)
        {
            throw new JobFailedException(WorkerErrorCodes.SourceNotFound,
                $"The source video '{record.Source.Container}/{record.Source.BlobName}' is gone, so no scored video can be made; upload it again.", ex);
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
