using System.Text.Json;

namespace EchoPipeline.Functions.CustomHandler;

/// <summary>
/// What the Functions host POSTs to <c>/{FunctionName}</c>: <c>Data</c> holds the trigger and input bindings by
/// their function.json names, <c>Metadata</c> the trigger metadata. Shape from learn.microsoft.com,
/// "Azure Functions custom handlers", section "Request payload".
/// </summary>
public sealed class InvocationRequest
{
    public Dictionary<string, JsonElement> Data { get; init; } = [];

    public Dictionary<string, JsonElement> Metadata { get; init; } = [];
}
