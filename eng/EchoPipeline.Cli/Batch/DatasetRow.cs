using System.Text.Json.Serialization;

namespace EchoPipeline.Cli.Batch;

/// <summary>
/// One line of dataset.jsonl: one output (a variation of a manifest row), in manifest order × variation. The schema is
/// documented in docs/datasets.md; fields are only ever added.
/// </summary>
internal sealed record DatasetRow
{
    /// <summary>The manifest row, from 1.</summary>
    public required int Row { get; init; }

    /// <summary>The input as the manifest names it.</summary>
    public required string Input { get; init; }

    public required int Variation { get; init; }

    /// <summary>"succeeded" or "failed".</summary>
    public required string Status { get; init; }

    /// <summary>The WAV: a path relative to the output folder, or the blob URL when the run used a deployed pipeline.</summary>
    public string? Output { get; init; }

    public long? Seed { get; init; }

    public int? Steps { get; init; }

    public double? Temperature { get; init; }

    public double? Guidance { get; init; }

    public string? BundleId { get; init; }

    /// <summary>SHA-256 of the bundle's manifest (what the job record's model stamp holds).</summary>
    public string? BundleSha256 { get; init; }

    public string? JobId { get; init; }

    /// <summary>Seconds of audio in the WAV.</summary>
    public double? DurationSeconds { get; init; }

    /// <summary>SHA-256 of the WAV's bytes.</summary>
    public string? WavSha256 { get; init; }

    /// <summary>SHA-256 of the input's bytes (its identity in the pipeline).</summary>
    public string? InputSha256 { get; init; }

    public RowError? Error { get; init; }
}

/// <summary>Why a row failed: a stable code and a message for people.</summary>
internal sealed record RowError(string Code, string Message);

/// <summary>
/// What a finished job produced, kept in the output folder's state (one file per job id) so that a rerun or a resumed
/// run takes it as done. Only verdicts are kept: a failure that may pass by itself (a timeout) is tried again.
/// </summary>
internal sealed record JobResult(string JobId, string Status, int? Steps, double? Temperature, double? Guidance, string? BundleId, string? BundleSha256, RowError? Error, IReadOnlyList<VariationOutput> Outputs);

/// <summary>One variation's WAV: where it is, its SHA-256 and its length in seconds.</summary>
internal sealed record VariationOutput(string Output, string Sha256, double DurationSeconds);

/// <summary>A manifest row after planning, written to the run's plan file so the final pass needs neither the manifest nor the inputs again.</summary>
internal sealed record PlannedRow(int Row, string Input, int Variations, string? InputSha256, long? Seed, int? Steps, double? Temperature, double? Guidance, RowError? Error, IReadOnlyList<PlannedJobRef> Jobs);

/// <summary>A job of a planned row: its id, its first variation and how many it makes.</summary>
internal sealed record PlannedJobRef(string JobId, int FirstVariation, int Count);

[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DatasetRow))]
[JsonSerializable(typeof(JobResult))]
[JsonSerializable(typeof(PlannedRow))]
[JsonSerializable(typeof(BatchSummary))]
internal sealed partial class BatchJsonContext : JsonSerializerContext
{
    /// <summary>For dataset.jsonl, which people read too: quotes, apostrophes and non-ASCII letters as they are, not \u escapes.</summary>
    /// <remarks>Made on first use: a static initializer here would run before the generated <see cref="Default"/> exists.</remarks>
    public static BatchJsonContext Readable => ReadableContext.Value;

    private static readonly Lazy<BatchJsonContext> ReadableContext = new(CreateReadable);

    private static BatchJsonContext CreateReadable()
    {
        var options = new System.Text.Json.JsonSerializerOptions(Default.Options) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        return new BatchJsonContext(options);
    }
}
