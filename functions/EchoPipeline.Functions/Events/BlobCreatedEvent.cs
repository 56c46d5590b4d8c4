using System.Text.Json;

namespace EchoPipeline.Functions.Events;

/// <summary>
/// A Microsoft.Storage.BlobCreated event (learn.microsoft.com, "Azure Blob Storage as an Event Grid source"):
/// subject <c>/blobServices/default/containers/{container}/blobs/{name}</c>; data carries url, eTag,
/// contentType, contentLength, api. The blob is always read back through the configured storage account, never
/// from data.url, so a forged event cannot make the handler fetch an arbitrary URL.
/// </summary>
public sealed record BlobCreatedEvent(string EventId, string Container, string BlobName, string? ETag, string? ContentType, long? ContentLength, string? Api)
{
    private const string SubjectPrefix = "/blobServices/default/containers/";
    private const string BlobsSegment = "/blobs/";

    public static BlobCreatedEvent From(IncomingEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.Type != IncomingEvent.BlobCreatedType)
        {
            throw new InvalidEventException($"Event {e.Id} is {e.Type}, not {IncomingEvent.BlobCreatedType}.");
        }

        var subject = e.Subject ?? throw new InvalidEventException($"Event {e.Id} has no subject naming the blob.");
        var blobs = subject.IndexOf(BlobsSegment, StringComparison.Ordinal);
        if (!subject.StartsWith(SubjectPrefix, StringComparison.Ordinal) || blobs < SubjectPrefix.Length)
        {
            throw new InvalidEventException($"Event {e.Id} subject '{subject}' is not {SubjectPrefix}{{container}}{BlobsSegment}{{name}}.");
        }

        var container = subject[SubjectPrefix.Length..blobs];
        var name = subject[(blobs + BlobsSegment.Length)..];
        var data = e.Data.ValueKind == JsonValueKind.Object ? e.Data : default;
        return new BlobCreatedEvent(e.Id, container, name, Text(data, "eTag"), Text(data, "contentType"), Number(data, "contentLength"), Text(data, "api"));
    }

    private static string? Text(JsonElement data, string name) =>
        data.ValueKind == JsonValueKind.Object && data.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static long? Number(JsonElement data, string name) =>
        data.ValueKind == JsonValueKind.Object && data.TryGetProperty(name, out var v) && v.TryGetInt64(out var n) ? n : null;
}
