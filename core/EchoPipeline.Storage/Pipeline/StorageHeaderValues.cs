using System.Globalization;
using Azure;
using Azure.Core;

namespace EchoPipeline.Storage.Pipeline;

/// <summary>Reads and writes the header values storage uses: RFC 1123 dates, ETags, x-ms-meta-* metadata, conditions.</summary>
internal static class StorageHeaderValues
{
    private const string MetadataPrefix = "x-ms-meta-";

    public static DateTimeOffset ParseDate(string value) =>
        DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    public static string FormatDate(DateTimeOffset value) => value.ToString("R", CultureInfo.InvariantCulture);

    public static DateTimeOffset GetDate(Response response, string name) =>
        response.Headers.TryGetValue(name, out var value) ? ParseDate(value) : default;

    public static IReadOnlyDictionary<string, string> GetMetadata(Response response) =>
        response.Headers
            .Where(header => header.Name.StartsWith(MetadataPrefix, StringComparison.OrdinalIgnoreCase))
            .ToDictionary(header => header.Name[MetadataPrefix.Length..], header => header.Value, StringComparer.OrdinalIgnoreCase);

    public static void SetMetadata(Request request, IEnumerable<KeyValuePair<string, string>>? metadata)
    {
        foreach (var (name, value) in metadata ?? [])
        {
            request.Headers.SetValue(MetadataPrefix + name, value);
        }
    }

    public static void SetConditions(Request request, RequestConditions? conditions)
    {
        if (conditions is null)
        {
            return;
        }

        if (conditions.IfMatch is { } ifMatch)
        {
            request.Headers.SetValue("If-Match", ifMatch.ToString("H"));
        }

        if (conditions.IfNoneMatch is { } ifNoneMatch)
        {
            request.Headers.SetValue("If-None-Match", ifNoneMatch.ToString("H"));
        }

        if (conditions.IfModifiedSince is { } modifiedSince)
        {
            request.Headers.SetValue("If-Modified-Since", FormatDate(modifiedSince));
        }

        if (conditions.IfUnmodifiedSince is { } unmodifiedSince)
        {
            request.Headers.SetValue("If-Unmodified-Since", FormatDate(unmodifiedSince));
        }
    }
}
