using System.Text;
using System.Xml.Linq;
using Azure;
using EchoPipeline.Storage.Pipeline;

namespace EchoPipeline.Storage.Queues;

/// <summary>The queue service's XML bodies, with message text encoded per <see cref="QueueMessageEncoding"/>.</summary>
internal sealed class QueueMessageXml(QueueMessageEncoding encoding)
{
    public byte[] CreateBody(BinaryData message)
    {
        var text = encoding == QueueMessageEncoding.Base64 ? Convert.ToBase64String(message.ToMemory().Span) : message.ToString();
        var xml = new XElement("QueueMessage", new XElement("MessageText", text));
        return Encoding.UTF8.GetBytes(xml.ToString(SaveOptions.DisableFormatting));
    }

    public static IEnumerable<XElement> ReadMessages(Response response) =>
        XDocument.Load(response.Content.ToStream()).Root?.Elements("QueueMessage") ?? [];

    public static string Text(XElement message, string name) =>
        message.Element(name)?.Value ?? throw new InvalidDataException($"Queue response message lacks <{name}>.");

    public static DateTimeOffset Date(XElement message, string name) => StorageHeaderValues.ParseDate(Text(message, name));

    public static long Count(XElement message) => long.Parse(Text(message, "DequeueCount"), System.Globalization.CultureInfo.InvariantCulture);

    public BinaryData ReadBody(XElement message)
    {
        var text = Text(message, "MessageText");
        if (encoding == QueueMessageEncoding.None)
        {
            return BinaryData.FromString(text);
        }

        try
        {
            return BinaryData.FromBytes(Convert.FromBase64String(text));
        }
        catch (FormatException exception)
        {
            throw new InvalidDataException(
                $"Message {Text(message, "MessageId")} is not base64 but the client's MessageEncoding is Base64; it stays in the queue and reappears after its visibility timeout.",
                exception);
        }
    }
}
