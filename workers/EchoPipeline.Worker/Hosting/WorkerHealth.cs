namespace EchoPipeline.Worker.Hosting;

/// <summary>What <c>GET /healthz</c> reports: ready once the bundle is loaded, unhealthy when the loop stops beating.</summary>
public sealed class WorkerHealth(TimeProvider time)
{
    private long _lastBeat = time.GetTimestamp();
    private int _inFlight;

    public bool IsReady { get; private set; }

    /// <summary>Messages leased and not yet let go: generating, waiting for the finisher or being finished.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    public void AddInFlight(int messages) => Interlocked.Add(ref _inFlight, messages);

    public void MarkReady() => IsReady = true;

    public void Beat() => Interlocked.Exchange(ref _lastBeat, time.GetTimestamp());

    /// <summary>Time since the loop last came round; a batch in flight counts as alive.</summary>
    public TimeSpan SinceBeat => InFlight > 0 ? TimeSpan.Zero : time.GetElapsedTime(Interlocked.Read(ref _lastBeat));
}
