namespace EchoPipeline.Worker.Webhooks;

/// <summary>
/// Backoff per target (scheme, host and port). After a failed attempt the target's other entries wait until the failed
/// one is due again; then one entry at a time probes it until it answers. Entries for other targets never wait on it.
/// In memory and per replica: the durable schedule of each entry is in the outbox.
/// </summary>
internal sealed class TargetBackoff
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Failing> _failing = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether an entry for <paramref name="origin"/> must wait; <paramref name="until"/> is null while a probe is in flight.</summary>
    public bool IsHeld(string origin, DateTimeOffset now, out DateTimeOffset? until)
    {
        lock (_lock)
        {
            if (_failing.TryGetValue(origin, out var failing) && (failing.Probing || now < failing.Until))
            {
                until = failing.Probing ? null : failing.Until;
                return true;
            }
        }

        until = null;
        return false;
    }

    /// <summary>An attempt on <paramref name="origin"/> starts; on a failing target it is the probe.</summary>
    public void Begin(string origin)
    {
        lock (_lock)
        {
            if (_failing.TryGetValue(origin, out var failing))
            {
                failing.Probing = true;
            }
        }
    }

    /// <summary>
    /// The attempt ended: the target answered, failed until <paramref name="failedUntil"/>, or was not tried (neither).
    /// True when a failing target answered, so that its waiting entries may go.
    /// </summary>
    public bool End(string origin, bool answered, DateTimeOffset? failedUntil)
    {
        lock (_lock)
        {
            if (answered)
            {
                return _failing.Remove(origin);
            }

            if (failedUntil is { } until)
            {
                _failing[origin] = new Failing { Until = until };
            }
            else if (_failing.TryGetValue(origin, out var failing))
            {
                failing.Probing = false;
            }

            return false;
        }
    }

    private sealed class Failing
    {
        public DateTimeOffset Until { get; init; }

        public bool Probing { get; set; }
    }
}
