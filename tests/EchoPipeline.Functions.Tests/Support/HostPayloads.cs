using System.Text.Json.Nodes;

namespace EchoPipeline.Functions.Tests.Support;

/// <summary>
/// Request payloads shaped like the Functions host's (learn.microsoft.com, "Azure Functions custom handlers",
/// "Request payload" and the httpTrigger example): Data keyed by binding name, Metadata with sys.
/// </summary>
public static class HostPayloads
{
    public static JsonObject HttpTrigger(HttpTriggerCall call)
    {
        var uri = new Uri(call.Url);
        var headers = new JsonObject();
        foreach (var (name, value) in call.Headers)
        {
            headers[name] = new JsonArray(value);
        }

        var query = new JsonObject();
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=', 2);
            query[Uri.UnescapeDataString(parts[0])] = parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : "";
        }

        var parameters = new JsonObject();
        foreach (var (name, value) in call.Params)
        {
            parameters[name] = value;
        }

        var req = new JsonObject
        {
            ["Url"] = call.Url,
            ["Method"] = call.Method,
            ["Query"] = query,
            ["Headers"] = headers,
            ["Params"] = parameters,
            ["Identities"] = new JsonArray(),
        };
        if (call.Body is not null)
        {
            req["Body"] = call.Body;
        }

        return new JsonObject
        {
            ["Data"] = new JsonObject { ["req"] = req },
            ["Metadata"] = new JsonObject { ["Query"] = query.DeepClone(), ["Headers"] = headers.DeepClone(), ["sys"] = Sys(call.Method) },
        };
    }

    /// <summary>An eventGridTrigger invocation; <paramref name="asString"/> sends the event as a JSON string, as some hosts do.</summary>
    public static JsonObject EventGridTrigger(JsonObject gridEvent, bool asString = false) => new()
    {
        ["Data"] = new JsonObject { ["eventGridEvent"] = asString ? JsonValue.Create(gridEvent.ToJsonString()) : gridEvent.DeepClone() },
        ["Metadata"] = new JsonObject { ["sys"] = Sys("OnVideoUploaded") },
    };

    private static JsonObject Sys(string methodName) => new()
    {
        ["MethodName"] = methodName,
        ["UtcNow"] = "2026-11-22T01:00:00.0000000Z",
        ["RandGuid"] = "24ad4c06-24ad-4e5b-8294-3da9714877e9",
    };
}
