using System.Xml;
using System.Xml.Linq;
using Azure;
using Azure.Core;

namespace EchoPipeline.Storage.Pipeline;

/// <summary>Reads the storage error code from the x-ms-error-code header or the XML body (&lt;Error&gt;&lt;Code/&gt;&lt;Message/&gt;&lt;/Error&gt;).</summary>
internal sealed class StorageErrorParser : RequestFailedDetailsParser
{
    public static StorageErrorParser Instance { get; } = new();

    public override bool TryParse(Response response, out ResponseError? error, out IDictionary<string, string>? data)
    {
        response.Headers.TryGetValue("x-ms-error-code", out var code);
        var body = ReadErrorElement(response);
        data = body?.Elements()
            .Where(element => element.Name.LocalName is not ("Code" or "Message"))
            .ToDictionary(element => element.Name.LocalName, element => element.Value);
        error = new ResponseError(code ?? body?.Element("Code")?.Value, body?.Element("Message")?.Value.Trim());
        return error.Code is not null || error.Message is not null;
    }

    private static XElement? ReadErrorElement(Response response)
    {
        if (response.ContentStream is not MemoryStream { Length: > 0 })
        {
            return null;
        }

        try
        {
            var root = XDocument.Parse(response.Content.ToString()).Root;
            return root?.Name.LocalName == "Error" ? root : null;
        }
        catch (XmlException)
        {
            return null;
        }
    }
}
