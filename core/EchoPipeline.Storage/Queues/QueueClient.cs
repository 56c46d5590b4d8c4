using System.Globalization;
using Azure;
using Azure.Core;
using EchoPipeline.Storage.Pipeline;

namespace EchoPipeline.Storage.Queues;

/// <summary>Message operations on one queue. Bodies are encoded per <see cref="StorageClientOptions.MessageEncoding"/>.</summary>
public sealed class QueueClient
{
    /// <summary>The service's limit on messages per Get/Peek Messages call.</summary>
    public const int MaxMessagesPerReceive = 32;

    private readonly StoragePipeline _pipeline;
    private readonly Uri _messagesUri;
    private readonly QueueMessageXml _xml;

    internal QueueClient(Uri queueEndpoint, string queueName, StoragePipeline pipeline)
    {
        ArgumentException.ThrowIfNullOrEmpty(queueName);
        Name = queueName;
        Uri = StorageUri.Append(queueEndpoint, queueName);
        _messagesUri = StorageUri.Append(Uri, "messages");
        _pipeline = pipeline;
        _xml = new QueueMessageXml(pipeline.Options.MessageEncoding);
    }

    public string Name { get; }

    public Uri Uri { get; }

    /// <summary>Creates the queue; returns false when it already existed.</summary>
    public async Task<bool> CreateIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        // 204 means it exists with the same metadata, 409 (QueueAlreadyExists) with different metadata.
        using var message = _pipeline.CreateMessage(RequestMethod.Put, Uri);
        var response = await _pipeline.SendAsync(message, cancellationToken, toleratedStatus: 409).ConfigureAwait(false);
        return response.Status == 201;
    }

    public async Task<bool> DeleteIfExistsAsync(CancellationToken cancellationToken = default)
    {
        using var message = _pipeline.CreateMessage(RequestMethod.Delete, Uri);
        var response = await _pipeline.SendAsync(message, cancellationToken, toleratedStatus: 404).ConfigureAwait(false);
        return response.Status == 204;
    }

    public async Task<Response<QueueProperties>> GetPropertiesAsync(CancellationToken cancellationToken = default)
    {
        using var message = _pipeline.CreateMessage(RequestMethod.Get, Uri);
        message.Request.Uri.AppendQuery("comp", "metadata");
        var response = await _pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        response.Headers.TryGetValue("x-ms-approximate-messages-count", out var count);
        var properties = new QueueProperties(int.Parse(count ?? "0", CultureInfo.InvariantCulture), StorageHeaderValues.GetMetadata(response));
        return Response.FromValue(properties, response);
    }

    public Task<Response<SendReceipt>> SendMessageAsync(string messageText, TimeSpan? visibilityTimeout = null, TimeSpan? timeToLive = null, CancellationToken cancellationToken = default) =>
        SendMessageAsync(BinaryData.FromString(messageText), visibilityTimeout, timeToLive, cancellationToken);

    /// <summary>Enqueues a message, hidden for <paramref name="visibilityTimeout"/> and kept for <paramref name="timeToLive"/> (<see cref="Timeout.InfiniteTimeSpan"/>: never expires).</summary>
    public async Task<Response<SendReceipt>> SendMessageAsync(BinaryData message, TimeSpan? visibilityTimeout = null, TimeSpan? timeToLive = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var request = _pipeline.CreateMessage(RequestMethod.Post, _messagesUri);
        AppendSeconds(request, "visibilitytimeout", visibilityTimeout);
        AppendSeconds(request, "messagettl", timeToLive);
        request.Request.Content = RequestContent.Create(_xml.CreateBody(message));
        request.Request.Headers.SetValue("Content-Type", "application/xml");
        var response = await _pipeline.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var sent = QueueMessageXml.ReadMessages(response).Single();
        var receipt = new SendReceipt(
            QueueMessageXml.Text(sent, "MessageId"),
            QueueMessageXml.Text(sent, "PopReceipt"),
            QueueMessageXml.Date(sent, "InsertionTime"),
            QueueMessageXml.Date(sent, "ExpirationTime"),
            QueueMessageXml.Date(sent, "TimeNextVisible"));
        return Response.FromValue(receipt, response);
    }

    /// <summary>Dequeues up to <paramref name="maxMessages"/> (1-32) messages, hiding them for <paramref name="visibilityTimeout"/> (service default 30 s).</summary>
    public async Task<Response<IReadOnlyList<QueueMessage>>> ReceiveMessagesAsync(int maxMessages = 1, TimeSpan? visibilityTimeout = null, CancellationToken cancellationToken = default)
    {
        using var message = CreateGetMessages(maxMessages);
        AppendSeconds(message, "visibilitytimeout", visibilityTimeout);
        var response = await _pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<QueueMessage> messages = QueueMessageXml.ReadMessages(response)
            .Select(element => new QueueMessage(
                QueueMessageXml.Text(element, "MessageId"),
                QueueMessageXml.Text(element, "PopReceipt"),
                QueueMessageXml.Count(element),
                QueueMessageXml.Date(element, "InsertionTime"),
                QueueMessageXml.Date(element, "ExpirationTime"),
                QueueMessageXml.Date(element, "TimeNextVisible"),
                _xml.ReadBody(element)))
            .ToList();
        return Response.FromValue(messages, response);
    }

    /// <summary>Reads up to <paramref name="maxMessages"/> (1-32) visible messages without dequeuing them.</summary>
    public async Task<Response<IReadOnlyList<PeekedMessage>>> PeekMessagesAsync(int maxMessages = 1, CancellationToken cancellationToken = default)
    {
        using var message = CreateGetMessages(maxMessages);
        message.Request.Uri.AppendQuery("peekonly", "true");
        var response = await _pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<PeekedMessage> messages = QueueMessageXml.ReadMessages(response)
            .Select(element => new PeekedMessage(
                QueueMessageXml.Text(element, "MessageId"),
                QueueMessageXml.Count(element),
                QueueMessageXml.Date(element, "InsertionTime"),
                QueueMessageXml.Date(element, "ExpirationTime"),
                _xml.ReadBody(element)))
            .ToList();
        return Response.FromValue(messages, response);
    }

    /// <summary>Deletes a received message; fails with 404 (MessageNotFound) or 400 when the pop receipt is stale.</summary>
    public async Task<Response> DeleteMessageAsync(string messageId, string popReceipt, CancellationToken cancellationToken = default)
    {
        using var message = CreateMessageRequest(RequestMethod.Delete, messageId, popReceipt);
        return await _pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Changes a received message's visibility (e.g. renews its lease) and optionally its body; the returned pop receipt replaces the old one.</summary>
    public async Task<Response<UpdateReceipt>> UpdateMessageAsync(string messageId, string popReceipt, TimeSpan visibilityTimeout, BinaryData? message = null, CancellationToken cancellationToken = default)
    {
        using var request = CreateMessageRequest(RequestMethod.Put, messageId, popReceipt);
        AppendSeconds(request, "visibilitytimeout", visibilityTimeout);
        if (message is not null)
        {
            request.Request.Content = RequestContent.Create(_xml.CreateBody(message));
            request.Request.Headers.SetValue("Content-Type", "application/xml");
        }

        var response = await _pipeline.SendAsync(request, cancellationToken).ConfigureAwait(false);
        response.Headers.TryGetValue("x-ms-popreceipt", out var newReceipt);
        var receipt = new UpdateReceipt(
            newReceipt ?? throw new InvalidDataException("Update Message response lacks x-ms-popreceipt."),
            StorageHeaderValues.GetDate(response, "x-ms-time-next-visible"));
        return Response.FromValue(receipt, response);
    }

    /// <summary>Deletes every message in the queue.</summary>
    public async Task<Response> ClearMessagesAsync(CancellationToken cancellationToken = default)
    {
        using var message = _pipeline.CreateMessage(RequestMethod.Delete, _messagesUri);
        return await _pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
    }

    private HttpMessage CreateGetMessages(int maxMessages)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessages, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxMessages, MaxMessagesPerReceive);
        var message = _pipeline.CreateMessage(RequestMethod.Get, _messagesUri);
        message.Request.Uri.AppendQuery("numofmessages", maxMessages.ToString(CultureInfo.InvariantCulture));
        return message;
    }

    private HttpMessage CreateMessageRequest(RequestMethod method, string messageId, string popReceipt)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        ArgumentException.ThrowIfNullOrEmpty(popReceipt);
        var message = _pipeline.CreateMessage(method, StorageUri.Append(_messagesUri, messageId));
        message.Request.Uri.AppendQuery("popreceipt", popReceipt, escapeValue: true);
        return message;
    }

    private static void AppendSeconds(HttpMessage message, string name, TimeSpan? value)
    {
        if (value is { } span)
        {
            var seconds = span == Timeout.InfiniteTimeSpan ? -1 : (long)span.TotalSeconds;
            message.Request.Uri.AppendQuery(name, seconds.ToString(CultureInfo.InvariantCulture));
        }
    }
}
