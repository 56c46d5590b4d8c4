using System.Text.Json;
using System.Text.Json.Serialization;
using EchoPipeline.Jobs;
using EchoPipeline.Jobs.Batches;

namespace EchoPipeline.Functions.Batches;

/// <summary>POST jobs:batch's body: items shaped like POST jobs bodies (without their own callbackUrl), and one callback for the batch.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class SubmitBatchBody
{
    public List<JsonElement>? Items { get; init; }

    public string? CallbackUrl { get; init; }
}

/// <summary>One item's job in a reply: its place in the request, id, status, whether it existed before, and its error.</summary>
public sealed record BatchItem(int Index, string JobId, JobStatus Status, bool Duplicate = false, JobError? Error = null);

/// <summary>POST jobs:batch's reply: where to follow the batch, and each item's job.</summary>
public sealed record BatchAccepted(string BatchId, BatchStatus Status, Uri StatusUrl, bool Duplicate, IReadOnlyList<BatchItem> Jobs);

/// <summary>
/// GET jobs:batch/{id}: the batch record's state (completion, the callback and its delivery) and its jobs' statuses
/// now, counted per status.
/// </summary>
public sealed record BatchProgress(
    string BatchId,
    BatchStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt,
    Uri? CallbackUrl,
    CallbackDelivery? Callback,
    IReadOnlyDictionary<string, int> Counts,
    IReadOnlyList<BatchItem> Jobs);
