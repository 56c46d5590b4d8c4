using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace EchoPipeline.Functions.CustomHandler;

/// <summary>
/// The value of an <c>http</c> output binding: <c>statusCode</c>, <c>body</c>, <c>headers</c>, as in the
/// custom handler samples (github.com/Azure-Samples/functions-custom-handlers, go/GoCustomHandlers.go) and the
/// host's HttpOutputBindingResponse (StatusCode, Status, Body, Headers; read case-insensitively).
/// </summary>
public sealed class HttpResponseOutput
{
    [JsonPropertyName("statusCode")]
    public required string StatusCode { get; init; }

    [JsonPropertyName("body")]
    public string? Body { get; init; }

    [JsonPropertyName("headers")]
    public Dictionary<string, string> Headers { get; init; } = [];

    public static HttpResponseOutput Json<T>(int status, T value, JsonTypeInfo<T> typeInfo) => new()
    {
        StatusCode = status.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Body = JsonSerializer.Serialize(value, typeInfo),
        Headers = { ["Content-Type"] = "application/json; charset=utf-8" },
    };

    public static HttpResponseOutput Empty(int status) =>
        new() { StatusCode = status.ToString(System.Globalization.CultureInfo.InvariantCulture) };
}
