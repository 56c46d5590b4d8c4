namespace EchoPipeline.Storage.Pipeline;

/// <summary>Builds resource URIs under a service endpoint, percent-encoding each path segment but keeping '/' separators.</summary>
internal static class StorageUri
{
    public static Uri Append(Uri baseUri, string path)
    {
        var escaped = string.Join('/', path.Split('/').Select(Uri.EscapeDataString));
        return new Uri($"{baseUri.GetLeftPart(UriPartial.Path).TrimEnd('/')}/{escaped}");
    }
}
