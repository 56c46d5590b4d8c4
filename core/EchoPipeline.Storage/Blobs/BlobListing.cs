using System.Globalization;
using System.Xml.Linq;
using Azure;
using EchoPipeline.Storage.Pipeline;

namespace EchoPipeline.Storage.Blobs;

/// <summary>Parses a List Blobs response (&lt;EnumerationResults&gt;) into one page of <see cref="BlobItem"/>.</summary>
internal static class BlobListing
{
    public static Page<BlobItem> ParsePage(Response response)
    {
        var root = XDocument.Load(response.Content.ToStream()).Root
            ?? throw new InvalidDataException("List Blobs returned an empty document.");
        var items = root.Element("Blobs")?.Elements("Blob").Select(ParseItem).ToList() ?? [];
        var next = root.Element("NextMarker")?.Value;
        return Page<BlobItem>.FromValues(items, string.IsNullOrEmpty(next) ? null : next, response);
    }

    private static BlobItem ParseItem(XElement blob)
    {
        var nameElement = blob.Element("Name")!;
        // Names holding characters XML cannot carry come back percent-encoded with Encoded="true".
        var name = (string?)nameElement.Attribute("Encoded") == "true" ? Uri.UnescapeDataString(nameElement.Value) : nameElement.Value;
        var properties = blob.Element("Properties");
        string? Property(string elementName) => properties?.Element(elementName)?.Value;
        var metadata = blob.Element("Metadata")?.Elements().ToDictionary(element => element.Name.LocalName, element => element.Value, StringComparer.OrdinalIgnoreCase)
            ?? new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        return new BlobItem(name, new BlobProperties(
            // Headers carry the ETag quoted and ResponseHeaders.ETag strips the quotes; the XML may have either form.
            new ETag((Property("Etag") ?? "").Trim('"')),
            Property("Last-Modified") is { } modified ? StorageHeaderValues.ParseDate(modified) : default,
            long.Parse(Property("Content-Length") ?? "0", CultureInfo.InvariantCulture),
            Property("Content-Type") is { Length: > 0 } contentType ? contentType : null,
            metadata));
    }
}
