namespace EchoPipeline.Cli.Batch;

/// <summary>
/// Codes of dataset rows that failed before any job existed. A job's own failures keep the pipeline's codes
/// (<c>not_media</c>, <c>truncated</c>, ...). A contract with dataset readers: never rename one.
/// </summary>
internal static class BatchErrorCodes
{
    /// <summary>The manifest row is malformed or a value is out of range.</summary>
    public const string InvalidRow = "invalid_row";

    /// <summary>The input path leaves the manifest's folder.</summary>
    public const string InputOutsideManifest = "input_outside_manifest";

    /// <summary>No file at the input path.</summary>
    public const string InputMissing = "input_missing";

    /// <summary>The file exists but cannot be read.</summary>
    public const string InputUnreadable = "input_unreadable";

    /// <summary>The job had not finished when the run's --timeout ran out.</summary>
    public const string TimedOut = "timed_out";
}
