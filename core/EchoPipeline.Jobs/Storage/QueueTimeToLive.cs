namespace EchoPipeline.Jobs.Storage;

/// <summary>Message lifetimes on our queues.</summary>
public static class QueueTimeToLive
{
    /// <summary>
    /// The service reads -1 s as "never expires". Job and poison messages use it: the default (7 days) would silently
    /// drop a job nobody got to, or the evidence of one that failed.
    /// </summary>
    public static readonly TimeSpan Never = TimeSpan.FromSeconds(-1);
}
