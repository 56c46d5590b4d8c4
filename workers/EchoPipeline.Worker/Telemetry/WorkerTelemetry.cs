using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace EchoPipeline.Worker.Telemetry;

/// <summary>The worker's traces and metrics: per-stage durations, queue lag, batch sizes and jobs by outcome.</summary>
public sealed class WorkerTelemetry : IDisposable
{
    public const string Name = "EchoPipeline.Worker";

    private readonly Histogram<double> _stageDuration;
    private readonly Histogram<double> _queueLag;
    private readonly Histogram<int> _batchSize;
    private readonly Counter<long> _jobs;

    public WorkerTelemetry(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(Name);
        _stageDuration = meter.CreateHistogram<double>("echo.worker.stage.duration", "s", "Wall time of one stage of a job or batch.");
        _queueLag = meter.CreateHistogram<double>("echo.worker.queue.lag", "s", "Time from enqueue to receive of a job message.");
        _batchSize = meter.CreateHistogram<int>("echo.worker.batch.size", "{job}", "Jobs run as one engine batch.");
        _jobs = meter.CreateCounter<long>("echo.worker.jobs", "{job}", "Jobs finished, by outcome.");
    }

    public ActivitySource Source { get; } = new(Name);

    public void RecordStage(string stage, TimeSpan elapsed) =>
        _stageDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("stage", stage));

    public void RecordQueueLag(TimeSpan lag) => _queueLag.Record(Math.Max(0, lag.TotalSeconds));

    public void RecordBatch(int size) => _batchSize.Record(size);

    /// <summary>Outcomes: succeeded, retried, failed, skipped (already done), released (shutdown).</summary>
    public void RecordOutcome(string outcome) => _jobs.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void Dispose() => Source.Dispose();
}
