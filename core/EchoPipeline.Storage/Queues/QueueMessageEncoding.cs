namespace EchoPipeline.Storage.Queues;

/// <summary>How a message body is carried in the queue's XML MessageText.</summary>
public enum QueueMessageEncoding
{
    /// <summary>The body's UTF-8 text as is.</summary>
    None,

    /// <summary>Base64 of the body's bytes, which is what Azure Functions queue triggers and output bindings use.</summary>
    Base64,
}
