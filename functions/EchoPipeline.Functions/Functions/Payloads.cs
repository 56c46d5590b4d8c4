using System.Text.Json.Serialization;
using EchoPipeline.Jobs;

namespace EchoPipeline.Functions.Functions;

/// <summary>Error reply: a stable code, a message for people, and the offending fields when the request was invalid.</summary>
public sealed record ErrorBody(string Error, string Message, IReadOnlyList<ValidationError>? Errors = null, string? JobId = null);

/// <summary>SubmitJob's reply: where to follow the job.</summary>
public sealed record JobAccepted(string JobId, JobStatus Status, Uri StatusUrl, bool Duplicate, JobError? Error = null);

/// <summary>SubmitJob's request body: a source and the generation parameters, flat; unknown fields are refused.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class SubmitJobBody
{
    public SubmitJobSource? Source { get; init; }

    public int? Steps { get; init; }

    public double? Temperature { get; init; }

    public double? Guidance { get; init; }

    public long? Seed { get; init; }

    public int? Variations { get; init; }

    public List<string>? Outputs { get; init; }

    public string? CallbackUrl { get; init; }
}

/// <summary>Exactly one of a blob name in <c>videos</c> or an https URL.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class SubmitJobSource
{
    public string? Blob { get; init; }

    public string? Url { get; init; }
}
