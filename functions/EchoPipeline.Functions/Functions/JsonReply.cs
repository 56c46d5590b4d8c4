using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace EchoPipeline.Functions.Functions;

/// <summary>
/// A JSON response written with a source-generated contract, with its own headers. It writes to the response itself
/// rather than through MVC's result executors, so it behaves the same under the Functions host and on a bare
/// <see cref="DefaultHttpContext"/> in the tests.
/// </summary>
public sealed class JsonReply<T>(int statusCode, T value, JsonTypeInfo<T> typeInfo) : IActionResult
{
    public int StatusCode { get; } = statusCode;

    public T Value { get; } = value;

    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public async Task ExecuteResultAsync(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = context.HttpContext.Response;
        response.StatusCode = StatusCode;
        foreach (var (name, header) in Headers)
        {
            response.Headers[name] = header;
        }

        response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(response.Body, Value, typeInfo, context.HttpContext.RequestAborted);
    }
}
