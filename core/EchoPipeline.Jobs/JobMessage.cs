using System.Text.Json;

namespace EchoPipeline.Jobs;

/// <summary>
/// The claim-check message on <c>echo-jobs</c>: only the job id and a schema version; the worker reads
/// everything else from the job record, so the message stays tiny and pixels never travel through the queue.
/// </summary>
public sealed record JobMessage(int SchemaVersion, JobId JobId)
{
    public const int CurrentSchemaVersion = 1;

    public static JobMessage For(JobId id) => new(CurrentSchemaVersion, id);

    public string ToJson() => JsonSerializer.Serialize(this, JobJsonContext.Default.JobMessage);

    /// <summary>Reads a message; a newer schema or a malformed body is refused with a message naming the problem.</summary>
    public static JobMessage Parse(string json)
    {
        JobMessage? message;
        try
        {
            message = JsonSerializer.Deserialize(json, JobJsonContext.Default.JobMessage);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"Job message is not valid JSON for schema {CurrentSchemaVersion}: {ex.Message}", ex);
        }

        if (message is null || message.SchemaVersion < 1)
        {
            throw new FormatException("Job message has no schemaVersion.");
        }

        if (message.SchemaVersion > CurrentSchemaVersion)
        {
            throw new FormatException($"Job message schemaVersion {message.SchemaVersion} is newer than this build understands ({CurrentSchemaVersion}).");
        }

        return message;
    }
}
