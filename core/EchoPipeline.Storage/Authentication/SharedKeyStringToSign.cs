using System.Globalization;
using System.Text;
using Azure.Core;

namespace EchoPipeline.Storage.Authentication;

/// <summary>
/// The Blob/Queue SharedKey string-to-sign (version 2009-09-19 and later, as in "Authorize with Shared Key"):
/// verb, eleven standard headers (Content-Length empty when zero), canonicalized x-ms-* headers,
/// then "/account" + encoded path + one "\nname:v1,v2" line per query parameter.
/// </summary>
internal static class SharedKeyStringToSign
{
    private static readonly string[] StandardHeaders =
    [
        "Content-Encoding", "Content-Language", "Content-Length", "Content-MD5", "Content-Type", "Date",
        "If-Modified-Since", "If-Match", "If-None-Match", "If-Unmodified-Since", "Range",
    ];

    public static string Build(Request request, string accountName)
    {
        var text = new StringBuilder(256).Append(request.Method.Method).Append('\n');
        foreach (var name in StandardHeaders)
        {
            text.Append(name == "Content-Length" ? ContentLength(request) : request.Headers.TryGetValue(name, out var value) ? value : "").Append('\n');
        }

        var storageHeaders = request.Headers
            .Where(header => header.Name.StartsWith("x-ms-", StringComparison.OrdinalIgnoreCase))
            .Select(header => (Name: header.Name.ToLowerInvariant(), Value: header.Value.Trim()))
            .OrderBy(header => header.Name, StringComparer.Ordinal);
        foreach (var (name, value) in storageHeaders)
        {
            text.Append(name).Append(':').Append(value).Append('\n');
        }

        var uri = request.Uri.ToUri();
        text.Append('/').Append(accountName).Append(uri.AbsolutePath);
        foreach (var (name, values) in CanonicalQuery(uri.Query))
        {
            text.Append('\n').Append(name).Append(':').Append(values);
        }

        return text.ToString();
    }

    private static string ContentLength(Request request) =>
        request.Content is not null && request.Content.TryComputeLength(out var length) && length > 0
            ? length.ToString(CultureInfo.InvariantCulture)
            : "";

    private static IEnumerable<(string Name, string Values)> CanonicalQuery(string query) =>
        query.TrimStart('?')
            .Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .Select(parts => (Name: Uri.UnescapeDataString(parts[0]).ToLowerInvariant(), Value: parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : ""))
            .GroupBy(parameter => parameter.Name, StringComparer.Ordinal)
            .OrderBy(group => group.Key, StringComparer.Ordinal)
            .Select(group => (group.Key, string.Join(',', group.Select(parameter => parameter.Value).Order(StringComparer.Ordinal))));
}
