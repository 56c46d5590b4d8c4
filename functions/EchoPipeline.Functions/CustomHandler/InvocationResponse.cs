using System.Text.Json.Serialization;

namespace EchoPipeline.Functions.CustomHandler;

/// <summary>
/// The handler's reply: <c>Outputs</c> keyed by the function.json output binding names, <c>Logs</c> for the
/// invocation log, <c>ReturnValue</c> for a <c>$return</c> binding. Shape from learn.microsoft.com,
/// "Azure Functions custom handlers", section "Response payload".
/// </summary>
public sealed class InvocationResponse
{
    [JsonPropertyName("Outputs")]
    public Dictionary<string, object?> Outputs { get; init; } = [];

    [JsonPropertyName("Logs")]
    public List<string> Logs { get; init; } = [];

    [JsonPropertyName("ReturnValue")]
    public object? ReturnValue { get; init; }

    /// <summary>A reply for an HTTP-triggered function, whose response goes to the <c>res</c> output binding.</summary>
    public static InvocationResponse Http(HttpResponseOutput response, params IEnumerable<string> logs) =>
        new() { Outputs = { [BindingNames.HttpResponse] = response }, Logs = [.. logs] };
}
