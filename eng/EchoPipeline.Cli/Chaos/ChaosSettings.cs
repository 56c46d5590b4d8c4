namespace EchoPipeline.Cli.Chaos;

/// <summary>
/// What `chaos` was asked to do. The webhook receiver is down for <see cref="ReceiverDownFor"/>, then answers slowly
/// for <see cref="ReceiverSlowFor"/>, then normally; <see cref="Timeout"/> bounds the wait for jobs and webhooks each.
/// </summary>
internal sealed record ChaosSettings(int Jobs, int Workers, string BundlePath, TimeSpan Timeout)
{
    public TimeSpan ReceiverDownFor { get; init; } = TimeSpan.FromSeconds(20);

    public TimeSpan ReceiverSlowFor { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Pause between two worker kills while jobs are in flight.</summary>
    public TimeSpan KillInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Most workers killed in a run (half SIGKILL, half SIGTERM); by default two per worker.</summary>
    public int MaxKills { get; init; } = 2 * Workers;

    /// <summary>Unmasking steps of the jobs submitted with a callback (upload events always take the default).</summary>
    public int CallbackJobSteps { get; init; } = 8;
}
