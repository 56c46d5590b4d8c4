using System.Text.Json;

namespace EchoPipeline.Functions.CustomHandler;

/// <summary>
/// The <c>req</c> object the host puts in <c>Data</c> for an httpTrigger: Url, Method, Query, Headers, Params,
/// Identities, Body (learn.microsoft.com, "Azure Functions custom handlers", "Function with bindings"
/// example; the host builds it in HttpRequestExtensions.GetRequestAsJObject). Query arrives as an object or, from
/// older hosts, as a JSON string of one; headers as arrays of values; Body as a string (octet-stream and multipart
/// bodies as base64).
/// </summary>
public sealed class HttpTriggerRequest
{
    public required Uri Url { get; init; }

    public required string Method { get; init; }

    public IReadOnlyDictionary<string, string> Query { get; init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, IReadOnlyList<string>> Headers { get; init; } =
        new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyDictionary<string, string> Params { get; init; } = new Dictionary<string, string>();

    public string? Body { get; init; }

    public string? Header(string name) =>
        Headers.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;

    /// <summary>Reads Data[<paramref name="bindingName"/>]; throws <see cref="InvalidInvocationException"/> when it is missing or malformed.</summary>
    public static HttpTriggerRequest From(InvocationRequest invocation, string bindingName = BindingNames.HttpRequest)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        if (!invocation.Data.TryGetValue(bindingName, out var req) || req.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidInvocationException($"Data.{bindingName} is missing or not an object.");
        }

        var url = req.TryGetProperty(nameof(Url), out var u) && Uri.TryCreate(u.GetString(), UriKind.Absolute, out var parsed)
            ? parsed
            : throw new InvalidInvocationException($"Data.{bindingName}.Url is missing or not an absolute URL.");
        var method = req.TryGetProperty(nameof(Method), out var m) && m.ValueKind == JsonValueKind.String
            ? m.GetString()!.ToUpperInvariant()
            : throw new InvalidInvocationException($"Data.{bindingName}.Method is missing.");

        return new HttpTriggerRequest
        {
            Url = url,
            Method = method,
            Query = StringMap(req, nameof(Query)),
            Headers = HeaderMap(req),
            Params = StringMap(req, nameof(Params)),
            Body = req.TryGetProperty(nameof(Body), out var body) ? BodyText(body) : null,
        };
    }

    private static string? BodyText(JsonElement body) => body.ValueKind switch
    {
        JsonValueKind.String => body.GetString(),
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => body.GetRawText(),
    };

    private static Dictionary<string, string> StringMap(JsonElement req, string name)
    {
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (!req.TryGetProperty(name, out var value))
        {
            return map;
        }

        using var fromString = value.ValueKind == JsonValueKind.String ? JsonDocument.Parse(value.GetString() is { Length: > 0 } s ? s : "{}") : null;
        var obj = fromString?.RootElement ?? value;
        if (obj.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in obj.EnumerateObject())
            {
                map[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
            }
        }

        return map;
    }

    private static Dictionary<string, IReadOnlyList<string>> HeaderMap(JsonElement req)
    {
        var map = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        if (req.TryGetProperty(nameof(Headers), out var headers) && headers.ValueKind == JsonValueKind.Object)
        {
            foreach (var header in headers.EnumerateObject())
            {
                map[header.Name] = header.Value.ValueKind switch
                {
                    JsonValueKind.Array => [.. header.Value.EnumerateArray().Select(v => v.ToString())],
                    _ => [header.Value.ToString()],
                };
            }
        }

        return map;
    }
}
