using System.Text.Json;
using System.Text.Json.Serialization;

namespace EchoPipeline.Functions.Events;

/// <summary>
/// Event Grid's webhook handshakes (learn.microsoft.com, "Receive events from Azure Event Grid to an HTTP endpoint"
/// / "Webhook event delivery"): an Event Grid schema subscription first delivers a SubscriptionValidationEvent
/// (header <c>aeg-event-type: SubscriptionValidation</c>) to be answered with <c>{"validationResponse": code}</c>;
/// a CloudEvents subscription sends OPTIONS with <c>WebHook-Request-Origin</c>, answered by echoing it in
/// <c>WebHook-Allowed-Origin</c> (CloudEvents HTTP webhook spec, section 4 "Abuse protection"). With the
/// eventGridTrigger binding the Functions host does this itself; the webhook function must do it.
/// </summary>
public static class SubscriptionValidation
{
    public const string EventTypeHeader = "aeg-event-type";
    public const string RequestOriginHeader = "WebHook-Request-Origin";
    public const string AllowedOriginHeader = "WebHook-Allowed-Origin";
    public const string AllowedRateHeader = "WebHook-Allowed-Rate";

    /// <summary>The validation code when <paramref name="events"/> is a validation delivery; otherwise null.</summary>
    public static string? FindValidationCode(IReadOnlyList<IncomingEvent> events)
    {
        var validation = events.FirstOrDefault(e => e.Type == IncomingEvent.SubscriptionValidationType);
        if (validation is null)
        {
            return null;
        }

        return validation.Data.ValueKind == JsonValueKind.Object
               && validation.Data.TryGetProperty("validationCode", out var code)
               && code.ValueKind == JsonValueKind.String
            ? code.GetString()
            : throw new InvalidEventException($"Event {validation.Id} is a subscription validation without data.validationCode.");
    }
}

/// <summary>The handshake reply body.</summary>
public sealed record ValidationResponse([property: JsonPropertyName("validationResponse")] string Code);
