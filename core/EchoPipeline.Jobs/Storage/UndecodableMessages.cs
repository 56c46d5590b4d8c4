using Azure.Storage.Queues;
using Azure.Storage.Queues.Specialized;
using Microsoft.Extensions.Logging;

namespace EchoPipeline.Jobs.Storage;

/// <summary>
/// A message whose body is not Base64 (another producer wrote it) can never be read by any consumer. The SDK hands
/// such messages to <see cref="QueueClientOptions.MessageDecodingFailed"/> instead of returning them; this handler moves
/// each one to <c>&lt;queue&gt;-poison</c> (its raw body kept) with a log line, so one bad message neither stops a
/// receive loop nor returns to the next replica. Peeked messages are left where they are.
/// </summary>
internal static partial class UndecodableMessages
{
    public static void MoveToPoison(QueueClientOptions options, ILogger logger) =>
        options.MessageDecodingFailed += args => MoveAsync(args, logger);

    public static string PoisonQueueOf(string queueName) => $"{queueName}-poison";

    private static async Task MoveAsync(QueueMessageDecodingFailedEventArgs args, ILogger logger)
    {
        if (args.ReceivedMessage is not { } message)
        {
            return;
        }

        var poison = args.Queue.GetParentQueueServiceClient().GetQueueClient(PoisonQueueOf(args.Queue.Name));
        if (args.IsRunningSynchronously)
        {
            poison.SendMessage(message.Body, timeToLive: QueueTimeToLive.Never, cancellationToken: args.CancellationToken);
            args.Queue.DeleteMessage(message.MessageId, message.PopReceipt, args.CancellationToken);
        }
        else
        {
            await poison.SendMessageAsync(message.Body, timeToLive: QueueTimeToLive.Never, cancellationToken: args.CancellationToken).ConfigureAwait(false);
            await args.Queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, args.CancellationToken).ConfigureAwait(false);
        }

        MovedUndecodable(logger, message.MessageId, args.Queue.Name, poison.Name);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} on queue {Queue} is not Base64, so no consumer can read it; moved to {PoisonQueue}.")]
    private static partial void MovedUndecodable(ILogger logger, string messageId, string queue, string poisonQueue);
}
