using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using EchoPipeline.Functions.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;

namespace EchoPipeline.Functions.Tests.Support;

/// <summary>
/// The handler app started the way Program.cs starts it, on a real loopback port, and a client that posts what the
/// Functions host posts: POST /{FunctionName} with a {"Data": ..., "Metadata": ...} payload.
/// </summary>
public sealed class HandlerHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private HandlerHost(WebApplication app, Uri baseAddress)
    {
        _app = app;
        Client = new HttpClient { BaseAddress = baseAddress };
    }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<HandlerHost> StartAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.AddEchoFunctions();
        var app = builder.Build();
        app.MapEchoFunctions();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new HandlerHost(app, new Uri(address));
    }

    /// <summary>Posts an invocation; returns the handler's HTTP status and its reply (Outputs/Logs/ReturnValue).</summary>
    public async Task<(int Status, JsonElement Reply)> InvokeAsync(string function, JsonObject payload)
    {
        using var response = await Client.PostAsJsonAsync($"/{function}", payload);
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text.Length == 0 ? "{}" : text);
        return ((int)response.StatusCode, document.RootElement.Clone());
    }

    /// <summary>Invokes an HTTP-triggered function and unwraps its <c>res</c> output.</summary>
    public async Task<HttpReply> InvokeHttpAsync(string function, HttpTriggerCall call)
    {
        var (status, reply) = await InvokeAsync(function, HostPayloads.HttpTrigger(call));
        Assert.Equal(200, status);
        var res = reply.GetProperty("Outputs").GetProperty("res");
        var headers = res.TryGetProperty("headers", out var h) && h.ValueKind == JsonValueKind.Object
            ? h.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.OrdinalIgnoreCase)
            : new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        return new HttpReply(int.Parse(res.GetProperty("statusCode").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
            res.TryGetProperty("body", out var body) ? body.GetString() : null, headers, reply);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>An HTTP request as the caller sent it to the Functions host.</summary>
public sealed record HttpTriggerCall(string Method, string Url, string? Body = null)
{
    public Dictionary<string, string> Headers { get; init; } = new() { ["Content-Type"] = "application/json" };

    public Dictionary<string, string> Params { get; init; } = [];
}

/// <summary>The <c>res</c> output: status, body, headers; <see cref="Raw"/> is the whole invocation reply.</summary>
public sealed record HttpReply(int StatusCode, string? Body, IReadOnlyDictionary<string, string> Headers, JsonElement Raw)
{
    public JsonElement Json => JsonDocument.Parse(Body ?? "null").RootElement;
}
