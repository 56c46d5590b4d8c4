using System.Globalization;
using Azure.Storage.Blobs;
using EchoPipeline.Cli.LocalPipeline;
using EchoPipeline.Engine.Generation;
using EchoPipeline.Jobs;
using EchoPipeline.Jobs.Storage;
using EchoPipeline.Provenance.Watermarking;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace EchoPipeline.Cli.Throughput;

/// <summary>
/// `bench --pipeline`: the local pipeline as `demo` runs it (Azurite, the ingest in-process, worker processes), warmed
/// up, then N image jobs end to end; then the same jobs' frames through the engine alone, in this process, in batches
/// of the worker's size. pipeline_efficiency = engine-only seconds / end-to-end seconds: how much of the pipeline's
/// time the engine's work explains (1 = everything else hides behind generation). Then a 10-minute video with cuts
/// as one job against as many one-window clips as it has windows: long_video_windows_per_s, short_clip_windows_per_s.
/// </summary>
internal static class PipelineBench
{
    /// <summary>Jobs run end to end before timing, so the in-process ingest's per-job code is compiled optimized (<see cref="TieredJitWarmUp"/>).</summary>
    private const int WarmUpJobs = TieredJitWarmUp.Calls;

    /// <summary>The batch size the local pipeline gives its workers (Worker__BatchSize in WorkerPool), so the engine-only run batches alike.</summary>
    private const int WorkerBatchSize = 4;

    public static async Task<IReadOnlyList<(string Name, string Value)>> RunAsync(string bundlePath, int jobs, int workers, CancellationToken cancellationToken)
    {
        await Toolchain.EnsureAsync(cancellationToken).ConfigureAwait(false);
        DemoRunner.CheckBundle(bundlePath);
        var folder = Directory.CreateTempSubdirectory("echo-bench-pipeline-").FullName;
        try
        {
            var images = WriteImages(folder, WarmUpJobs + jobs);
            var longVideo = await SyntheticVideos.WriteLongAsync(folder, cancellationToken).ConfigureAwait(false);
            JobRecord[] records;
            byte[][] frames;
            TimeSpan endToEnd;
            IReadOnlyList<(string, string)> longVideoFigures;
            await using (var host = await LocalPipelineHost.StartAsync(workers, bundlePath, progress: null, cancellationToken).ConfigureAwait(false))
            {
                await RunJobsAsync(host, images[..WarmUpJobs], cancellationToken).ConfigureAwait(false);
                var started = TimeProvider.System.GetUtcNow();
                records = await RunJobsAsync(host, images[WarmUpJobs..], cancellationToken).ConfigureAwait(false);
                endToEnd = records.Max(r => r.CompletedAt!.Value) - started;
                frames = await DownloadFramesAsync(host.Storage, records, cancellationToken).ConfigureAwait(false);
                longVideoFigures = await LongVideoAsync(host, longVideo, folder, cancellationToken).ConfigureAwait(false);
            }

            var engineOnly = EngineOnly(bundlePath, records, frames, cancellationToken);
            var figures = new List<(string, string)>
            {
                ("jobs", Invariant(jobs)), ("workers", Invariant(workers)),
                ("end_to_end_s", Invariant(endToEnd.TotalSeconds)), ("engine_only_s", Invariant(engineOnly.TotalSeconds)),
                ("pipeline_efficiency", Invariant(engineOnly / endToEnd)), ("jobs_per_s", Invariant(jobs / endToEnd.TotalSeconds)),
                ("queued_to_done_ms", Invariant(records.Average(r => (r.CompletedAt!.Value - r.CreatedAt).TotalMilliseconds))),
            };
            figures.AddRange(longVideoFigures);
            foreach (var stage in records.SelectMany(r => r.Timings.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                figures.Add(($"stage_{stage}_ms", Invariant(records.Average(r => r.Timings.GetValueOrDefault(stage)))));
            }

            return figures;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// The 10-minute video with cuts as one job, then as many one-window clips as it had windows, submitted at once:
    /// windows per second from submission to the last completion, each way, and how many times faster the clips went.
    /// </summary>
    private static async Task<IReadOnlyList<(string, string)>> LongVideoAsync(LocalPipelineHost host, string longVideo, string folder, CancellationToken cancellationToken)
    {
        var started = TimeProvider.System.GetUtcNow();
        var record = (await RunJobsAsync(host, [longVideo], cancellationToken).ConfigureAwait(false))[0];
        var longSeconds = (record.CompletedAt!.Value - started).TotalSeconds;
        var windows = record.Segments.Count;

        var clips = await SyntheticVideos.WriteClipsAsync(Directory.CreateDirectory(Path.Combine(folder, "clips")).FullName, windows, cancellationToken).ConfigureAwait(false);
        started = TimeProvider.System.GetUtcNow();
        var clipRecords = await RunJobsAsync(host, clips, cancellationToken).ConfigureAwait(false);
        var clipSeconds = (clipRecords.Max(r => r.CompletedAt!.Value) - started).TotalSeconds;
        var (longRate, clipRate) = (windows / longSeconds, clipRecords.Sum(r => r.Segments.Count) / clipSeconds);
        return
        [
            ("long_video_seconds", Invariant(record.Media!.DurationSeconds)), ("long_video_shots", Invariant(record.Segments.Count(s => s.StartsShot))),
            ("long_video_windows", Invariant(windows)), ("long_video_end_to_end_s", Invariant(longSeconds)),
            ("long_video_windows_per_s", Invariant(longRate)), ("short_clip_windows_per_s", Invariant(clipRate)),
            ("short_clip_vs_long_video_ratio", Invariant(clipRate / longRate)),
        ];
    }

    private static async Task<JobRecord[]> RunJobsAsync(LocalPipelineHost host, string[] images, CancellationToken cancellationToken)
    {
        // All at once, as a burst of uploads arrives: the workers then see full batches rather than a trickle.
        var submitter = new InputSubmitter(host.Storage, host.Ingest.Delivery);
        var submitted = await Task.WhenAll(images.Select(image => submitter.SubmitAsync(image, cancellationToken))).ConfigureAwait(false);
        var ids = submitted.Select(s => s.JobId ?? throw new LocalPipelineException($"bench: {s.Failure?.ErrorMessage}", ExitCodes.SomeInputsFailed)).ToList();

        var done = await new JobWaiter(new JobStore(host.Storage), TimeProvider.System, host.Workers.EnsureAlive)
            .WaitAsync(ids, TimeSpan.FromMinutes(10), finished: null, cancellationToken).ConfigureAwait(false);
        var records = new JobRecord[ids.Count];
        for (var i = 0; i < ids.Count; i++)
        {
            records[i] = done.GetValueOrDefault(ids[i]) is { Status: JobStatus.Succeeded } record
                ? record
                : throw new LocalPipelineException(
                    $"bench: job {ids[i]} did not succeed ({done.GetValueOrDefault(ids[i])?.Error?.Message ?? "not finished after 10 minutes"}).", ExitCodes.SomeInputsFailed);
        }

        return records;
    }

    /// <summary>The frames the ingest stored for the jobs: the engine-only run generates from exactly these bytes.</summary>
    private static async Task<byte[][]> DownloadFramesAsync(EchoStorage storage, JobRecord[] records, CancellationToken cancellationToken)
    {
        var container = storage.Container(StorageNames.FramesContainer);
        var frames = new byte[records.Length][];
        for (var i = 0; i < records.Length; i++)
        {
            BlobClient blob = container.GetBlobClient(records[i].Segments[0].FrameRaw ?? StorageNames.FrameRawBlob(records[i].Id, 0));
            frames[i] = (await blob.DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value.Content.ToArray();
        }

        return frames;
    }

    /// <summary>The jobs' requests as the worker makes them (seed, parameters, watermark), timed after a warm-up (<see cref="TieredJitWarmUp"/>).</summary>
    private static TimeSpan EngineOnly(string bundlePath, JobRecord[] records, byte[][] frames, CancellationToken cancellationToken)
    {
        using var model = EchoModel.Load(bundlePath, cancellationToken: cancellationToken);
        var generator = new EchoGenerator(model);
        var requests = records.Select((r, i) => new EchoRequest
        {
            Mode = GenerationMode.ImageToAudio, Image = frames[i], Seed = r.Parameters.ResolveSeed(r.Id),
            WatermarkPayload = WatermarkPayload.ForJob(r.Id.Value, 0),
            Steps = r.Parameters.Steps, Temperature = r.Parameters.Temperature, Guidance = r.Parameters.Guidance is { } g ? (float)g : null,
        }).ToArray();
        for (var i = 0; i < TieredJitWarmUp.Calls; i++)
        {
            generator.Generate([requests[i % requests.Length]], cancellationToken);
        }

        var started = TimeProvider.System.GetTimestamp();
        foreach (var batch in requests.Chunk(WorkerBatchSize))
        {
            generator.Generate(batch, cancellationToken);
        }

        return TimeProvider.System.GetElapsedTime(started);
    }

    /// <summary>Distinct 256x256 pictures (each its own job): colour bands whose hue and spacing follow the index.</summary>
    private static string[] WriteImages(string folder, int count) =>
    [
        .. Enumerable.Range(0, count).Select(i =>
        {
            using var image = new Image<Rgb24>(256, 256);
            image.ProcessPixelRows(rows =>
            {
                for (var y = 0; y < rows.Height; y++)
                {
                    var row = rows.GetRowSpan(y);
                    for (var x = 0; x < row.Length; x++)
                    {
                        row[x] = new Rgb24((byte)((x * (i + 1)) & 255), (byte)((y * (i + 3)) & 255), (byte)(((x + y) * (17 + i)) >> 2));
                    }
                }
            });
            var path = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"bench-{i:D3}.png"));
            image.SaveAsPng(path);
            return path;
        }),
    ];

    private static string Invariant(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
