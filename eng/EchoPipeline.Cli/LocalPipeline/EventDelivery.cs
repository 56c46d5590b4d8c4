using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EchoPipeline.Cli.LocalPipeline;

/// <summary>
/// Delivers events to the ingest: either straight to the custom handler, wrapped the way the Functions host wraps an
/// httpTrigger invocation of OnVideoUploadedWebhook (POST /OnVideoUploadedWebhook with Data.req), or to a webhook URL
/// (a running Functions host's /api/events/videos) the way Event Grid posts: a JSON array, aeg-event-type: Notification.
/// </summary>
internal sealed class EventDelivery(HttpClient http, Uri target, bool customHandler)
{
    private const string FunctionName = "OnVideoUploadedWebhook";

    public async Task<IReadOnlyList<DeliveredJob>> DeliverAsync(JsonObject gridEvent, CancellationToken cancellationToken)
    {
        var body = new JsonArray(gridEvent.DeepClone()).ToJsonString();
        var (status, reply) = customHandler
            ? await PostToHandlerAsync(body, cancellationToken).ConfigureAwait(false)
            : await PostWebhookAsync(body, cancellationToken).ConfigureAwait(false);
        if (status != 200)
        {
            throw new HttpRequestException($"{target} answered {status} to the BlobCreated event: {reply}");
        }

        using var document = JsonDocument.Parse(reply);
        return [.. document.RootElement.GetProperty("jobs").EnumerateArray().Select(j => new DeliveredJob(
            j.GetProperty("eventId").GetString() ?? "",
            Text(j, "jobId"), Text(j, "disposition") ?? "", Text(j, "status"), Text(j, "detail")))];
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private async Task<(int, string)> PostWebhookAsync(string body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("aeg-event-type", "Notification");
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
    }

    private async Task<(int, string)> PostToHandlerAsync(string body, CancellationToken cancellationToken)
    {
        var url = "http://localhost:7071/api/events/videos";
        var headers = new JsonObject { ["Content-Type"] = new JsonArray("application/json"), ["aeg-event-type"] = new JsonArray("Notification") };
        var payload = new JsonObject
        {
            ["Data"] = new JsonObject
            {
                ["req"] = new JsonObject
                {
                    ["Url"] = url, ["Method"] = "POST", ["Query"] = new JsonObject(), ["Headers"] = headers,
                    ["Params"] = new JsonObject(), ["Identities"] = new JsonArray(), ["Body"] = body,
                },
            },
            ["Metadata"] = new JsonObject
            {
                ["Headers"] = headers.DeepClone(),
                ["sys"] = new JsonObject { ["MethodName"] = FunctionName, ["UtcNow"] = DateTimeOffset.UtcNow.ToString("o"), ["RandGuid"] = Guid.NewGuid().ToString() },
            },
        };
        using var response = await http.PostAsJsonAsync(new Uri(target, FunctionName), payload, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            return ((int)response.StatusCode, text);
        }

        // The handler's reply: {"Outputs": {"res": {"statusCode": "200", "body": "..."}}, "Logs": [...]}.
        var res = JsonNode.Parse(text)?["Outputs"]?["res"];
        var code = res?["statusCode"] is JsonValue value ? (value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString()) : "500";
        var status = int.Parse(code, System.Globalization.CultureInfo.InvariantCulture);
        return (status, res?["body"]?.GetValue<string>() ?? "");
    }
}
