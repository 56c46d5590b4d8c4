namespace EchoPipeline.Ingest;

/// <summary>Timestamps and stage timings from the injected <see cref="TimeProvider"/>.</summary>
public sealed class IngestClock(TimeProvider time)
{
    public DateTimeOffset Now() => time.GetUtcNow();

    public long Timestamp() => time.GetTimestamp();

    public double ElapsedMs(long startTimestamp) => Math.Round(time.GetElapsedTime(startTimestamp).TotalMilliseconds, 3);
}
