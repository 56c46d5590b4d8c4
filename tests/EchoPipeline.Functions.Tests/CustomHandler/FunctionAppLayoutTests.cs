using System.Text.Json;
using EchoPipeline.Functions.CustomHandler;
using EchoPipeline.Functions.Tests.Support;
using EchoPipeline.Testing;

namespace EchoPipeline.Functions.Tests.CustomHandler;

/// <summary>host.json and the function.json files agree with what the handler serves and reads.</summary>
public class FunctionAppLayoutTests
{
    private static readonly string FunctionsRoot = Path.Combine(RepoPaths.Root, "functions");

    private static JsonElement Read(params string[] path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(path)));
        return document.RootElement.Clone();
    }

    private static JsonElement Binding(string function, string type) =>
        Read(FunctionsRoot, function, "function.json").GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString() == type);

    [Fact]
    public void Every_function_folder_is_a_function_the_handler_serves_and_vice_versa()
    {
        var folders = Directory.GetDirectories(FunctionsRoot)
            .Where(d => File.Exists(Path.Combine(d, "function.json"))).Select(Path.GetFileName).Order();
        var names = typeof(FunctionNames).GetFields().Select(f => (string)f.GetValue(null)!).Order();

        Assert.Equal(names, folders);
    }

    [Theory]
    [InlineData("SubmitJob", "post", "jobs")]
    [InlineData("GetJob", "get", "jobs/{id}")]
    [InlineData("OnVideoUploadedWebhook", "post", "events/videos")]
    public void Http_functions_need_a_function_key_and_bind_req_and_res(string function, string method, string route)
    {
        var trigger = Binding(function, "httpTrigger");
        Assert.Equal("function", trigger.GetProperty("authLevel").GetString());
        Assert.Equal(BindingNames.HttpRequest, trigger.GetProperty("name").GetString());
        Assert.Contains(method, trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal(route, trigger.GetProperty("route").GetString());
        Assert.Equal(BindingNames.HttpResponse, Binding(function, "http").GetProperty("name").GetString());
    }

    [Fact]
    public void Status_urls_work_because_GetJob_route_is_SubmitJob_route_plus_the_id() =>
        Assert.Equal(
            Binding("SubmitJob", "httpTrigger").GetProperty("route").GetString() + "/{id}",
            Binding("GetJob", "httpTrigger").GetProperty("route").GetString());

    [Fact]
    public void The_webhook_accepts_the_cloudevents_options_handshake() =>
        Assert.Contains("options", Binding("OnVideoUploadedWebhook", "httpTrigger").GetProperty("methods").EnumerateArray().Select(m => m.GetString()));

    [Fact]
    public void OnVideoUploaded_is_an_event_grid_trigger_named_as_the_handler_reads_it() =>
        Assert.Equal(BindingNames.EventGridEvent, Binding("OnVideoUploaded", "eventGridTrigger").GetProperty("name").GetString());

    [Fact]
    public void Host_json_starts_the_handler_with_the_payload_contract_and_the_extension_bundle()
    {
        var host = Read(RepoPaths.Root, "host.json");
        Assert.Equal("2.0", host.GetProperty("version").GetString());
        var handler = host.GetProperty("customHandler");
        Assert.Equal("EchoPipeline.Functions", handler.GetProperty("description").GetProperty("defaultExecutablePath").GetString());
        Assert.False(handler.GetProperty("enableForwardingHttpRequest").GetBoolean());
        Assert.Equal("Microsoft.Azure.Functions.ExtensionBundle", host.GetProperty("extensionBundle").GetProperty("id").GetString());
    }

    [Fact]
    public void The_handler_build_output_is_a_function_app_root()
    {
        var output = HandlerOutput.Folder;

        Assert.True(File.Exists(Path.Combine(output, "host.json")));
        Assert.True(File.Exists(Path.Combine(output, "EchoPipeline.Functions")), "the executable host.json names");
        foreach (var name in typeof(FunctionNames).GetFields().Select(f => (string)f.GetValue(null)!))
        {
            Assert.True(File.Exists(Path.Combine(output, name, "function.json")), name);
        }
    }
}
