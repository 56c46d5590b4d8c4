using System.Text.Json.Serialization;

namespace EchoPipeline.Jobs.Batches;

/// <summary>
/// A batch as stored in <c>jobs/batches/{id}.json</c>: its jobs in submission order, and once every one of them has
/// succeeded or failed, the counts and (with a callback URL) the state of the completion webhook, like a job's.
/// </summary>
public sealed record BatchRecord
{
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    public required BatchId Id { get; init; }

    public required BatchStatus Status { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }

    public required IReadOnlyList<JobId> Jobs { get; init; }

    /// <summary>Where to POST this record when the batch completes (signed like job webhooks).</summary>
    public Uri? CallbackUrl { get; init; }

    /// <summary>Jobs that succeeded and failed; set on completion.</summary>
    public BatchCounts? Counts { get; init; }

    /// <summary>How the completion webhook went: "pending" from completion until the worker's outbox settles it.</summary>
    public CallbackDelivery? Callback { get; init; }
}

/// <summary>How many of the batch's jobs succeeded and failed.</summary>
public sealed record BatchCounts(int Succeeded, int Failed);

/// <summary>"running" until every job of the batch has succeeded or failed, then "completed".</summary>
[JsonConverter(typeof(JsonStringEnumConverter<BatchStatus>))]
public enum BatchStatus
{
    [JsonStringEnumMemberName("running")]
    Running,

    [JsonStringEnumMemberName("completed")]
    Completed,
}

/// <summary>Source-generated JSON for batch records, the same conventions as <see cref="JobJsonContext"/>.</summary>
[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(BatchRecord))]
public sealed partial class BatchJsonContext : JsonSerializerContext;
