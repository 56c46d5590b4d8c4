using System.Text.Json;

namespace EchoPipeline.Functions.Events;

/// <summary>
/// Reads Event Grid deliveries in either schema. Event Grid schema (learn.microsoft.com, "Azure Event Grid event
/// schema") arrives as an array; CloudEvents 1.0 (learn.microsoft.com, "CloudEvents v1.0 schema with Azure Event
/// Grid") as one object or a batch array and is told apart by <c>specversion</c>. The eventGridTrigger binding may
/// hand the event over as a JSON string, which is unwrapped first.
/// </summary>
public static class EventParser
{
    public static IReadOnlyList<IncomingEvent> Parse(JsonElement payload)
    {
        if (payload.ValueKind == JsonValueKind.String)
        {
            using var inner = ParseDocument(payload.GetString()!);
            return Parse(inner.RootElement);
        }

        return payload.ValueKind switch
        {
            JsonValueKind.Array => [.. payload.EnumerateArray().Select((e, i) => ParseOne(e, $"[{i}]"))],
            JsonValueKind.Object => [ParseOne(payload, "")],
            _ => throw new InvalidEventException($"Expected an event object or an array of events, got {payload.ValueKind}."),
        };
    }

    public static IReadOnlyList<IncomingEvent> Parse(string json)
    {
        using var document = ParseDocument(json);
        return Parse(document.RootElement);
    }

    private static JsonDocument ParseDocument(string json)
    {
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new InvalidEventException($"Event payload is not JSON: {ex.Message}", ex);
        }
    }

    private static IncomingEvent ParseOne(JsonElement e, string at)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidEventException($"Event{at} is {e.ValueKind}, not an object.");
        }

        var data = e.TryGetProperty("data", out var d) ? d.Clone() : default;
        if (e.TryGetProperty("specversion", out var version))
        {
            if (version.GetString() != "1.0")
            {
                throw new InvalidEventException($"Event{at}.specversion is '{version}'; only CloudEvents 1.0 is understood.");
            }

            return new IncomingEvent(EventSchema.CloudEvents, Required(e, "id", at), Required(e, "type", at),
                Optional(e, "subject"), Required(e, "source", at), data);
        }

        return new IncomingEvent(EventSchema.EventGrid, Required(e, "id", at), Required(e, "eventType", at),
            Optional(e, "subject"), Optional(e, "topic"), data);
    }

    private static string Required(JsonElement e, string name, string at) =>
        Optional(e, name) is { Length: > 0 } value ? value : throw new InvalidEventException($"Event{at}.{name} is missing or not a string.");

    private static string? Optional(JsonElement e, string name) =>
        e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
