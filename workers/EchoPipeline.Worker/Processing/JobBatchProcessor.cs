using System.Diagnostics;
using Azure;
using Azure.Storage.Queues;
using EchoPipeline.Jobs;
using EchoPipeline.Jobs.Storage;
using EchoPipeline.Media;
using EchoPipeline.Worker.Hosting;
using EchoPipeline.Worker.Queue;
using EchoPipeline.Worker.Telemetry;
using EchoPipeline.Worker.Webhooks;
using Microsoft.Extensions.Options;

namespace EchoPipeline.Worker.Processing;

/// <summary>
/// One batch: admit each message (skip finished jobs, give up on exhausted ones, mark the rest running and read their
/// frames), generate all of them as one engine batch, then per job (the jobs concurrently, possibly while the next
/// batch generates) write the outputs, the record, the webhook outbox entry and delete the message, in that order: a crash in between leaves the message, which comes back and finds
/// the job final with its callback pending. A job's failure is retried on its own dequeue count; the batch-mates are
/// not affected.
/// </summary>
internal sealed class JobBatchProcessor(
    EchoStorage storage,
    JobStore store,
    JobRecordWriter records,
    JobInputReader inputs,
    BatchGenerator generator,
    JobOutputWriter outputs,
    EngineHost engine,
    WebhookDispatcher webhooks,
    WorkerTelemetry telemetry,
    IOptions<WorkerOptions> options,
    TimeProvider time,
    ILogger<JobBatchProcessor> logger)
{
    private readonly QueueClient _poison = storage.Queue(StorageNames.PoisonQueue);
    private readonly WorkerOptions _options = options.Value;

    /// <summary>
    /// Admits the messages and generates the admitted jobs as one engine batch. What comes back still has to be
    /// finished (<see cref="FinishAsync"/>); the caller may generate the next batch meanwhile.
    /// </summary>
    public async Task<GeneratedBatch> GenerateAsync(IReadOnlyList<MessageLease> leases, CancellationToken cancellationToken)
    {
        using var activity = telemetry.Source.StartActivity("echo.worker.batch");
        var admitted = new List<AdmittedJob>();
        foreach (var lease in leases)
        {
            if (lease.Message.InsertedOn is { } inserted)
            {
                telemetry.RecordQueueLag(time.GetUtcNow() - inserted);
            }

            if (await AdmitAsync(lease, cancellationToken).ConfigureAwait(false) is { } job)
            {
                admitted.Add(job);
            }
        }

        activity?.SetTag("echo.batch.size", admitted.Count);
        var generated = new List<GeneratedJob>();
        if (admitted.Count > 0)
        {
            telemetry.RecordBatch(admitted.Count);
            WorkerLog.BatchStarted(logger, admitted.Count, leases.Count);
            await GenerateAsync(admitted, generated, cancellationToken).ConfigureAwait(false);
        }

        return new GeneratedBatch(leases, generated);
    }

    /// <summary>Writes every generated job's outputs, record, webhook entry and message deletion, the jobs concurrently.</summary>
    public Task FinishAsync(GeneratedBatch batch, CancellationToken cancellationToken) =>
        Task.WhenAll(batch.Jobs.Select(j => Task.Run(() => FinishAsync(j.Job, j.Audio, j.Generate, cancellationToken), cancellationToken)));

    /// <summary>
    /// Generates the jobs as one engine run; if that fails, each job runs alone so only the culprit's attempt fails
    /// and its batch-mates finish (rather than being retried with it until all are dead-lettered).
    /// </summary>
    private async Task GenerateAsync(List<AdmittedJob> admitted, List<GeneratedJob> generated, CancellationToken cancellationToken)
    {
        IReadOnlyList<IReadOnlyList<GeneratedAudio>> audio;
        var started = time.GetTimestamp();
        try
        {
            audio = await generator.GenerateAsync([.. admitted.Select(j => (j.Stored.Record, j.Inputs))], cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && admitted.Count > 1)
        {
            WorkerLog.BatchIsolating(logger, admitted.Count, ex);
            foreach (var job in admitted)
            {
                await GenerateAsync([job], generated, cancellationToken).ConfigureAwait(false);
            }

            return;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            await FailAttemptAsync(admitted[0].Lease, admitted[0].Stored, ex, cancellationToken).ConfigureAwait(false);
            return;
        }

        var generate = time.GetElapsedTime(started);
        telemetry.RecordStage("generate", generate);
        generated.AddRange(admitted.Select((job, i) => new GeneratedJob(job, audio[i], generate)));
    }

    /// <summary>The job ready to generate, or null when the message was settled here (done, unknown, exhausted, bad input).</summary>
    private async Task<AdmittedJob?> AdmitAsync(MessageLease lease, CancellationToken cancellationToken)
    {
        JobMessage message;
        try
        {
            message = JobMessage.Parse(lease.Message.MessageText);
        }
        catch (FormatException ex)
        {
            WorkerLog.MessageUnreadable(logger, lease.Message.MessageId, ex.Message);
            await lease.DeadLetterAsync(_poison, cancellationToken).ConfigureAwait(false);
            telemetry.RecordOutcome("poisoned");
            return null;
        }

        StoredJob? stored;
        try
        {
            stored = await store.GetAsync(message.JobId, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException ex)
        {
            // Retrying cannot mend a corrupt record: without this the batch would be released and retried forever.
            WorkerLog.RecordUnreadable(logger, message.JobId.Value, lease.Message.MessageId, ex.Message);
            await lease.DeadLetterAsync(_poison, cancellationToken).ConfigureAwait(false);
            telemetry.RecordOutcome("poisoned");
            return null;
        }

        if (stored is null)
        {
            WorkerLog.RecordMissing(logger, message.JobId.Value, lease.Message.MessageId);
            await lease.DeadLetterAsync(_poison, cancellationToken).ConfigureAwait(false);
            telemetry.RecordOutcome("poisoned");
            return null;
        }

        if (IsFinal(stored.Record))
        {
            return await AcknowledgeFinishedAsync(lease, stored.Record, cancellationToken).ConfigureAwait(false);
        }

        if (lease.Message.DequeueCount > _options.MaxDequeueCount)
        {
            // Earlier attempts died without recording a verdict (killed, lease lost): give up with what is known.
            await GiveUpAsync(lease, stored, stored.Record.Error ?? new JobError(WorkerErrorCodes.DequeueLimitExceeded,
                $"The job was received {lease.Message.DequeueCount} times without finishing (limit {_options.MaxDequeueCount})."), cancellationToken).ConfigureAwait(false);
            return null;
        }

        try
        {
            var now = time.GetUtcNow();
            stored = await records.UpdateAsync(stored, r => IsFinal(r) ? r : r with { Status = JobStatus.Running, StartedAt = r.StartedAt ?? now }, cancellationToken).ConfigureAwait(false);
            if (IsFinal(stored.Record))
            {
                return await AcknowledgeFinishedAsync(lease, stored.Record, cancellationToken).ConfigureAwait(false);
            }

            WorkerLog.JobStarted(logger, stored.Record.Id.Value, lease.Message.DequeueCount);
            return new AdmittedJob(lease, stored, await inputs.ReadAsync(stored.Record, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            await FailAttemptAsync(lease, stored, ex, cancellationToken).ConfigureAwait(false);
            return null;
        }
    }

    private async Task FinishAsync(AdmittedJob job, IReadOnlyList<GeneratedAudio> audio, TimeSpan generate, CancellationToken cancellationToken)
    {
        var id = job.Stored.Record.Id;
        var work = WorkDirectories.Create(_options.TempDirectory ?? Path.GetTempPath(), id);
        try
        {
            var timings = new Dictionary<string, double> { ["generate"] = generate.TotalMilliseconds };
            var uris = await outputs.WriteAsync(job.Stored.Record, audio, job.Inputs.FramesSha256, work, timings, cancellationToken).ConfigureAwait(false);
            if (job.Lease.Lost.IsCancellationRequested)
            {
                // Another consumer owns the message; its identical outputs and record will do.
                WorkerLog.LeaseLostBeforeRecord(logger, id.Value);
                return;
            }

            var model = engine.Generator.Model;
            var now = time.GetUtcNow();
            var stored = await records.UpdateAsync(job.Stored, r => WebhookDispatcher.WithPendingCallback(r with
            {
                Status = JobStatus.Succeeded, CompletedAt = now, Outputs = uris, Error = null,
                Model = new ModelStamp(model.BundleId, model.BundleSha256),
                Sampling = JobSamplings.Of(audio),
                Watermark = JobWatermarks.Of(audio),
                Timings = Merge(r.Timings, timings),
            }, now), cancellationToken).ConfigureAwait(false);
            await webhooks.AddAsync(stored.Record, cancellationToken).ConfigureAwait(false);
            await job.Lease.CompleteAsync(cancellationToken).ConfigureAwait(false);
            telemetry.RecordOutcome("succeeded");
            WorkerLog.JobSucceeded(logger, id.Value, uris.Wav.Count);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            await FailAttemptAsync(job.Lease, job.Stored, ex, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>
    /// Records the error. A final one (bad input, a changed source) gives up at once; a retryable one hides the
    /// message for the retry delay, doubled per attempt, until the last allowed attempt gives up.
    /// </summary>
    private async Task FailAttemptAsync(MessageLease lease, StoredJob stored, Exception exception, CancellationToken cancellationToken)
    {
        var error = Describe(exception);
        WorkerLog.AttemptFailed(logger, stored.Record.Id.Value, lease.Message.DequeueCount, error.Code, error.Message, exception);
        try
        {
            if (!error.Retryable || lease.Message.DequeueCount >= _options.MaxDequeueCount)
            {
                await GiveUpAsync(lease, stored, error, cancellationToken).ConfigureAwait(false);
                return;
            }

            await records.UpdateAsync(stored, r => IsFinal(r) ? r : r with { Status = JobStatus.Queued, Error = error }, cancellationToken).ConfigureAwait(false);
            await lease.ReleaseAsync(RetryDelay(lease.Message.DequeueCount), cancellationToken).ConfigureAwait(false);
            telemetry.RecordOutcome("retried");
        }
        catch (RequestFailedException ex)
        {
            // The message reappears when its lease lapses; the next attempt starts over.
            WorkerLog.SettleFailed(logger, stored.Record.Id.Value, ex);
        }
    }

    private async Task GiveUpAsync(MessageLease lease, StoredJob stored, JobError error, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var failed = await records.UpdateAsync(stored, r => IsFinal(r) ? r : WebhookDispatcher.WithPendingCallback(r with { Status = JobStatus.Failed, CompletedAt = now, Error = error }, now), cancellationToken).ConfigureAwait(false);
        await webhooks.AddAsync(failed.Record, cancellationToken).ConfigureAwait(false);
        await lease.DeadLetterAsync(_poison, cancellationToken).ConfigureAwait(false);
        telemetry.RecordOutcome("failed");
        WorkerLog.JobGaveUp(logger, stored.Record.Id.Value, lease.Message.DequeueCount, error.Code);
    }

    private async Task<AdmittedJob?> AcknowledgeFinishedAsync(MessageLease lease, JobRecord record, CancellationToken cancellationToken)
    {
        WorkerLog.AlreadyFinished(logger, record.Id.Value, record.Status.ToString());
        // A worker that died after writing the record may not have written the outbox entry; the message is its proof.
        await webhooks.AddAsync(record, cancellationToken).ConfigureAwait(false);
        await lease.CompleteAsync(cancellationToken).ConfigureAwait(false);
        telemetry.RecordOutcome("skipped");
        return null;
    }

    private TimeSpan RetryDelay(long dequeueCount) =>
        TimeSpan.FromTicks(_options.RetryDelay.Ticks * (1L << (int)Math.Clamp(dequeueCount - 1, 0, 6)));

    private static bool IsFinal(JobRecord record) => record.Status is JobStatus.Succeeded or JobStatus.Failed;

    private static JobError Describe(Exception exception) => exception switch
    {
        JobFailedException failure => new JobError(failure.Code, failure.Message),
        MediaException media => new JobError(media.ErrorCode, media.Message),
        RequestFailedException storage => new JobError(WorkerErrorCodes.StorageError, $"Storage failed with {storage.Status} {storage.ErrorCode}: {storage.Message}"),
        _ => new JobError(WorkerErrorCodes.Internal, $"{exception.GetType().Name}: {exception.Message}"),
    };

    private static Dictionary<string, double> Merge(IReadOnlyDictionary<string, double> existing, Dictionary<string, double> worker)
    {
        var merged = new Dictionary<string, double>(existing);
        foreach (var (stage, ms) in worker)
        {
            merged[stage] = ms;
        }

        return merged;
    }

    internal sealed record AdmittedJob(MessageLease Lease, StoredJob Stored, JobInputs Inputs);

    internal sealed record GeneratedJob(AdmittedJob Job, IReadOnlyList<GeneratedAudio> Audio, TimeSpan Generate);

    /// <summary>A batch's leases (all of them, settled or not) and the jobs of it that generated.</summary>
    internal sealed record GeneratedBatch(IReadOnlyList<MessageLease> Leases, IReadOnlyList<GeneratedJob> Jobs);
}
