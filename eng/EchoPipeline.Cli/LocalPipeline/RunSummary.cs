using System.Text.Json.Serialization;

namespace EchoPipeline.Cli.LocalPipeline;

/// <summary>summary.json: the run and one entry per input, in input order.</summary>
internal sealed record RunSummary(DateTimeOffset StartedAt, double Seconds, string Bundle, int Workers, IReadOnlyList<SummaryEntry> Entries)
{
    [JsonIgnore]
    public bool AllSucceeded => Entries.All(e => e.Status == SummaryEntry.Succeeded);
}

/// <summary>
/// One input: its job and outcome. Paths are relative to the output folder (where summary.json and index.html are).
/// <see cref="Status"/> is the job's ("succeeded", "failed") or "timed_out" when the run stopped waiting.
/// </summary>
internal sealed record SummaryEntry(string Input, string Status)
{
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string TimedOut = "timed_out";

    public string? BlobName { get; init; }

    public string? JobId { get; init; }

    public string? ErrorCode { get; init; }

    public string? ErrorMessage { get; init; }

    public string? Frame { get; init; }

    public IReadOnlyList<string> Wav { get; init; } = [];

    public IReadOnlyList<string> Spectrogram { get; init; } = [];

    public IReadOnlyList<string> ScoredVideo { get; init; } = [];

    /// <summary>Every file written for this input.</summary>
    public IReadOnlyList<string> Outputs => [.. (Frame is null ? [] : new[] { Frame }), .. Wav, .. Spectrogram, .. ScoredVideo];

    /// <summary>Sampling parameters as the job record holds them (steps, temperature, guidance, seed, variations).</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

    /// <summary>What ffprobe found, e.g. "video 6.0 s 256x256 h264".</summary>
    public string? Media { get; init; }

    /// <summary>Milliseconds per stage, from the job record, plus "queued_to_done" (record created to completed).</summary>
    public IReadOnlyDictionary<string, double> Timings { get; init; } = new Dictionary<string, double>();

    public static SummaryEntry Failure(string input, string code, string message, string? blobName = null, string? jobId = null) =>
        new(input, Failed) { ErrorCode = code, ErrorMessage = message, BlobName = blobName, JobId = jobId };
}

[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RunSummary))]
internal sealed partial class SummaryJsonContext : JsonSerializerContext;
