using System.Text.Json;

namespace EchoPipeline.Functions.Events;

/// <summary>Which envelope an event came in.</summary>
public enum EventSchema
{
    /// <summary>Event Grid schema: id, topic, subject, eventType, eventTime, data, dataVersion.</summary>
    EventGrid,

    /// <summary>CloudEvents 1.0: specversion, id, source, type, subject, time, data.</summary>
    CloudEvents,
}

/// <summary>One event with the envelope fields the pipeline uses, whichever schema carried it.</summary>
public sealed record IncomingEvent(EventSchema Schema, string Id, string Type, string? Subject, string? Source, JsonElement Data)
{
    public const string BlobCreatedType = "Microsoft.Storage.BlobCreated";
    public const string SubscriptionValidationType = "Microsoft.EventGrid.SubscriptionValidationEvent";
}
