using Azure.Storage.Blobs;
using EchoPipeline.Cli.LocalPipeline;
using EchoPipeline.Ingest;
using EchoPipeline.Jobs;
using EchoPipeline.Jobs.Storage;

namespace EchoPipeline.Cli.Chaos;

/// <summary>How one chaos job is submitted, and so what it tests.</summary>
internal enum ChaosJobKind
{
    /// <summary>An upload and its BlobCreated event (sometimes delivered twice, or three times at once).</summary>
    Upload,

    /// <summary>An upload whose job asks for a callback, submitted as SubmitJob does (sometimes twice at once).</summary>
    Callback,

    /// <summary>An upload overwritten right after ingest: its job, which muxes a scored video, must fail source_changed.</summary>
    OverwrittenSource,
}

/// <summary>One chaos job: the job ids its deliveries returned (more than one distinct id is a duplicate).</summary>
internal sealed record ChaosJob(string BlobName, ChaosJobKind Kind, IReadOnlyList<string> JobIds)
{
    public string? JobId => JobIds.Count > 0 ? JobIds[0] : null;

    public int ExtraJobs => Math.Max(0, JobIds.Distinct(StringComparer.Ordinal).Count() - 1);
}

/// <summary>
/// Uploads the chaos jobs' sources (copies of the sample videos under distinct names) and submits them, duplicating
/// some deliveries: a redelivered or concurrently delivered event must find the job the first one made.
/// </summary>
internal sealed class ChaosSubmissions(LocalPipelineHost host, Uri callbackUrl, int callbackSteps)
{
    private readonly BlobContainerClient _videos = host.Storage.Container(StorageNames.VideosContainer);

    public async Task<IReadOnlyList<ChaosJob>> SubmitAsync(int count, IReadOnlyList<string> sampleVideos, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var jobs = new List<ChaosJob>();
        for (var i = 0; i < count; i++)
        {
            var sample = sampleVideos[i % sampleVideos.Count];
            var kind = i == 0 && count >= 3 ? ChaosJobKind.OverwrittenSource : i % 2 == 1 ? ChaosJobKind.Callback : ChaosJobKind.Upload;
            var name = $"chaos-{i:D3}-{Path.GetFileName(sample)}";
            var upload = await UploadAsync(name, sample, cancellationToken).ConfigureAwait(false);
            var ids = kind switch
            {
                ChaosJobKind.Callback => await SubmitWithCallbackAsync(name, times: i % 4 == 3 ? 2 : 1, cancellationToken).ConfigureAwait(false),
                ChaosJobKind.OverwrittenSource => await DeliverAsync(upload, 1, concurrently: false, cancellationToken).ConfigureAwait(false),
                _ => await DeliverAsync(upload, i % 4 == 0 ? 3 : i % 4 == 2 ? 2 : 1, concurrently: i % 4 == 0, cancellationToken).ConfigureAwait(false),
            };
            if (kind == ChaosJobKind.OverwrittenSource)
            {
                // Another sample's bytes under the same name: the job's recorded ETag and hash no longer match.
                await UploadAsync(name, sampleVideos[(i + 1) % sampleVideos.Count], cancellationToken).ConfigureAwait(false);
            }

            jobs.Add(new ChaosJob(name, kind, ids));
            progress?.Report($"submitted {i + 1}/{count}: {name} ({kind}, {ids.Count} deliveries)");
        }

        return jobs;
    }

    private async Task<UploadedBlob> UploadAsync(string name, string path, CancellationToken cancellationToken)
    {
        var stream = File.OpenRead(path);
        await using (stream.ConfigureAwait(false))
        {
            var uploaded = await _videos.GetBlobClient(name).UploadAsync(stream, BlobUpload.As(ContentTypes.For(name)), cancellationToken).ConfigureAwait(false);
            return new UploadedBlob(StorageNames.VideosContainer, name, uploaded.Value.ETag.ToString(), stream.Length, ContentTypes.For(name));
        }
    }

    private async Task<IReadOnlyList<string>> DeliverAsync(UploadedBlob blob, int times, bool concurrently, CancellationToken cancellationToken)
    {
        var ids = new List<string?>();
        if (concurrently)
        {
            var delivered = await Task.WhenAll(Enumerable.Range(0, times).Select(_ => host.Ingest.Delivery.DeliverAsync(blob, cancellationToken))).ConfigureAwait(false);
            ids.AddRange(delivered.Select(d => d.JobId));
        }
        else
        {
            for (var n = 0; n < times; n++)
            {
                ids.Add((await host.Ingest.Delivery.DeliverAsync(blob, cancellationToken).ConfigureAwait(false)).JobId);
            }
        }

        return [.. ids.OfType<string>()];
    }

    private async Task<IReadOnlyList<string>> SubmitWithCallbackAsync(string name, int times, CancellationToken cancellationToken)
    {
        var parameters = new JobParameters { Steps = callbackSteps, Outputs = [JobOutputs.ScoredVideo], CallbackUrl = callbackUrl };
        var outcomes = await Task.WhenAll(Enumerable.Range(0, times).Select(_ => host.Ingest.Service.IngestBlobAsync(name, parameters, cancellationToken))).ConfigureAwait(false);
        return [.. outcomes.Select(o => o.Job?.Id.Value).OfType<string>()];
    }
}
