using System.Diagnostics;
using System.Globalization;
using Azure.Storage.Blobs.Models;
using EchoPipeline.Cli.LocalPipeline;
using EchoPipeline.Jobs;
using EchoPipeline.Jobs.Storage;

namespace EchoPipeline.Cli.Chaos;

/// <summary>
/// `chaos` end to end: the local pipeline with short timeouts and a webhook receiver, bad messages on the queue, the
/// jobs submitted with duplicated deliveries and one overwritten source, workers killed while the jobs run, the
/// receiver down then slow then up, and a transient ffmpeg failure; then it counts what came out.
/// </summary>
internal static class ChaosRunner
{
    public static async Task<ChaosFigures> RunAsync(ChaosSettings settings, TimeProvider time, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        await Toolchain.EnsureAsync(cancellationToken).ConfigureAwait(false);
        DemoRunner.CheckBundle(settings.BundlePath);
        var clock = Stopwatch.StartNew();
        var samples = SampleVideos();

        await using var receiver = new WebhookReceiver();
        using var flakyFfmpeg = FlakyFfmpeg.TryCreate(out var skipped);
        if (skipped is not null)
        {
            progress?.Report(skipped);
        }

        await using var host = await LocalPipelineHost.StartAsync(settings.Workers, settings.BundlePath, WorkerSettings(receiver, flakyFfmpeg), progress, cancellationToken)
            .ConfigureAwait(false);
        progress?.Report($"sending {BadMessages.Count} bad messages to the queue");
        await BadMessages.SendAsync(host.ConnectionString, cancellationToken).ConfigureAwait(false);

        var workerChaos = new WorkerChaos(host.Workers, settings.KillInterval, settings.MaxKills, time, progress);
        using var jobsDone = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var killing = workerChaos.RunAsync(jobsDone.Token);
        var receiverSchedule = RunReceiverScheduleAsync(receiver, settings, time, progress, cancellationToken);

        var jobs = await new ChaosSubmissions(host, receiver.CallbackUrl, settings.CallbackJobSteps)
            .SubmitAsync(settings.Jobs, samples, progress, cancellationToken).ConfigureAwait(false);
        var ids = jobs.SelectMany(j => j.JobIds).Distinct(StringComparer.Ordinal).ToList();
        var finished = new Progress<int>(n => progress?.Report($"jobs finished: {n}/{ids.Count}"));
        var records = await new JobWaiter(new JobStore(host.Storage), time).WaitAsync(ids, settings.Timeout, finished, cancellationToken).ConfigureAwait(false);
        await jobsDone.CancelAsync().ConfigureAwait(false);
        await killing.ConfigureAwait(false);

        await receiverSchedule.ConfigureAwait(false);
        var callbackJobs = jobs.Where(j => j.Kind == ChaosJobKind.Callback && j.JobId is not null).Select(j => j.JobId!).Distinct(StringComparer.Ordinal).ToList();
        await WaitForWebhooksAsync(receiver, callbackJobs, settings.Timeout, time, progress, cancellationToken).ConfigureAwait(false);
        workerChaos.ReplaceCrashed();
        if (flakyFfmpeg is not null)
        {
            progress?.Report(flakyFfmpeg.Fired
                ? "transient ffmpeg failure: injected (the first ffmpeg run on an input failed)"
                : "note: no worker ran ffmpeg on an input, so the transient ffmpeg failure was not injected");
        }

        var succeeded = jobs.Count(j => j.JobId is { } id && records.TryGetValue(id, out var r) && r.Status == JobStatus.Succeeded);
        var failedExpected = jobs.Count(j => j.Kind == ChaosJobKind.OverwrittenSource && j.JobId is { } id && records.TryGetValue(id, out var r)
            && r.Status == JobStatus.Failed && r.Error?.Code == JobErrorCodes.SourceChanged);
        foreach (var job in jobs.Where(j => j.JobId is null || !records.TryGetValue(j.JobId, out var r) || r.Status != JobStatus.Succeeded))
        {
            var record = job.JobId is null ? null : records.GetValueOrDefault(job.JobId);
            progress?.Report($"{job.BlobName} ({job.Kind}): {record?.Status.ToString().ToLowerInvariant() ?? "unfinished"} {record?.Error?.Code} {record?.Error?.Message}");
        }

        return new ChaosFigures
        {
            JobsSubmitted = jobs.Count,
            JobsSucceeded = succeeded,
            JobsFailedExpected = failedExpected,
            JobsLost = jobs.Count - succeeded - failedExpected,
            DuplicateOutputs = jobs.Sum(j => j.ExtraJobs) + await ExtraWavsAsync(host.Storage, records.Values, cancellationToken).ConfigureAwait(false),
            WorkerCrashes = workerChaos.Crashes,
            WorkersKilled = workerChaos.Killed,
            MessagesPoisoned = (await host.Storage.Queue(StorageNames.PoisonQueue).GetPropertiesAsync(cancellationToken).ConfigureAwait(false)).Value.ApproximateMessagesCount,
            WebhooksExpected = callbackJobs.Count,
            WebhooksMissing = callbackJobs.Count(id => !receiver.Delivered(id)),
            WebhooksDuplicatedIds = receiver.AcceptedById.Count(d => d.Value > 1),
            Seconds = clock.Elapsed.TotalSeconds,
        };
    }

    /// <summary>
    /// Short timeouts so killed workers' messages and outbox entries come back within seconds, and webhooks to the
    /// receiver on loopback over http, signed with this run's secret.
    /// </summary>
    private static Dictionary<string, string?> WorkerSettings(WebhookReceiver receiver, FlakyFfmpeg? flakyFfmpeg)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Worker__VisibilityTimeout"] = "00:00:06",
            ["Worker__ShutdownTimeout"] = "00:00:02",
            ["Webhooks__Secret"] = receiver.Secret,
            ["Webhooks__AllowHttp"] = "true",
            ["Webhooks__AllowPrivateTargets"] = "true",
            ["Webhooks__InitialDelay"] = "00:00:00.500",
            ["Webhooks__MaxDelay"] = "00:00:04",
            ["Webhooks__MaxRetries"] = "20",
            ["Webhooks__AttemptTimeout"] = "00:00:05",
            ["Webhooks__PollInterval"] = "00:00:01",
            ["Webhooks__LeaseDuration"] = "00:00:15",
        };
        if (flakyFfmpeg is not null)
        {
            settings["Media__FfmpegPath"] = flakyFfmpeg.FfmpegPath;
            settings["Media__FfprobePath"] = flakyFfmpeg.FfprobePath;
        }

        return settings;
    }

    private static async Task RunReceiverScheduleAsync(WebhookReceiver receiver, ChaosSettings settings, TimeProvider time, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        progress?.Report($"webhook receiver down for {settings.ReceiverDownFor.TotalSeconds:0} s");
        await Task.Delay(settings.ReceiverDownFor, time, cancellationToken).ConfigureAwait(false);
        receiver.StartSlow();
        progress?.Report($"webhook receiver slow for {settings.ReceiverSlowFor.TotalSeconds:0} s");
        await Task.Delay(settings.ReceiverSlowFor, time, cancellationToken).ConfigureAwait(false);
        receiver.SpeedUp();
        progress?.Report("webhook receiver up");
    }

    private static async Task WaitForWebhooksAsync(WebhookReceiver receiver, List<string> jobIds, TimeSpan timeout, TimeProvider time, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + timeout;
        while (jobIds.Any(id => !receiver.Delivered(id)) && time.GetUtcNow() < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250), time, cancellationToken).ConfigureAwait(false);
        }

        progress?.Report($"webhooks delivered: {jobIds.Count(receiver.Delivered)}/{jobIds.Count}");
    }

    /// <summary>WAV blobs beyond each finished job's variations (blob names are per variation, so this stays 0 unless names drift).</summary>
    private static async Task<int> ExtraWavsAsync(EchoStorage storage, IEnumerable<JobRecord> records, CancellationToken cancellationToken)
    {
        var audio = storage.Container(StorageNames.AudioContainer);
        var extra = 0;
        foreach (var record in records.Where(r => r.Status == JobStatus.Succeeded))
        {
            var wavs = 0;
            await foreach (var blob in audio.GetBlobsAsync(BlobTraits.None, BlobStates.None, $"{record.Id.Value}/", cancellationToken).ConfigureAwait(false))
            {
                wavs += blob.Name.EndsWith(".wav", StringComparison.Ordinal) ? 1 : 0;
            }

            extra += Math.Max(0, wavs - (record.Parameters.Variations ?? 1));
        }

        return extra;
    }

    private static List<string> SampleVideos()
    {
        var folder = Path.Combine(RepoLayout.Root, "samples", "videos");
        var videos = Directory.Exists(folder) ? Directory.GetFiles(folder, "*.mp4").Order(StringComparer.Ordinal).ToList() : [];
        return videos.Count > 0 ? videos : throw new LocalPipelineException($"no sample videos (*.mp4) in {folder}.", ExitCodes.EnvironmentMissing);
    }
}
