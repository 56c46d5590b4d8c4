using System.Diagnostics.Metrics;

namespace EchoPipeline.Cli.Throughput;

/// <summary>
/// Counts the HTTP requests this process completes (the runtime's <c>http.client.request.duration</c> measurements)
/// while it lives: the storage round trips behind a benchmark's figure, which, unlike its seconds, the machine's load
/// does not change.
/// </summary>
internal sealed class HttpRequestCounter : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _count;

    public HttpRequestCounter()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument is { Name: "http.client.request.duration", Meter.Name: "System.Net.Http" })
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((_, _, _, _) => Interlocked.Increment(ref _count));
        _listener.Start();
    }

    public long Count => Interlocked.Read(ref _count);

    public void Dispose() => _listener.Dispose();
}
