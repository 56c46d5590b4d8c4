using System.Text.Json;
using EchoPipeline.Functions.Functions;
using EchoPipeline.Functions.Hosting;
using EchoPipeline.Functions.Tests.Support;
using EchoPipeline.Ingest;
using EchoPipeline.Jobs;
using EchoPipeline.Jobs.Storage;
using EchoPipeline.Testing;

namespace EchoPipeline.Functions.Tests.Hosting;

/// <summary>
/// What the host will load, read from the build: functions.metadata (the worker SDK writes it from the function
/// attributes) and host.json. The host never runs here, so this is the contract it would be held to.
/// </summary>
public class FunctionMetadataTests
{
    private static readonly IReadOnlyDictionary<string, JsonElement> Functions = ReadMetadata();

    private static JsonElement Trigger(string function) =>
        Functions[function].GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal));

    private static JsonElement HostJson
    {
        get
        {
            using var document = JsonDocument.Parse(File.ReadAllText(AppOutput.File("host.json")));
            return document.RootElement.Clone();
        }
    }

    [Fact]
    public void The_build_declares_exactly_the_functions_the_app_names()
    {
        var named = typeof(FunctionNames).GetFields().Select(f => (string)f.GetValue(null)!).Order();

        Assert.Equal(named, Functions.Keys.Order());
        Assert.All(Functions.Values, f => Assert.Equal("dotnet-isolated", f.GetProperty("language").GetString()));
    }

    [Fact]
    public void OnVideoUploaded_is_an_event_grid_sourced_blob_trigger_on_videos_with_the_storage_connection()
    {
        var trigger = Trigger(FunctionNames.OnVideoUploaded);

        Assert.Equal("blobTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal("EventGrid", trigger.GetProperty("source").GetString());
        Assert.Equal($"{StorageNames.VideosContainer}/{{name}}", trigger.GetProperty("path").GetString());
        Assert.Equal(EchoStorageOptions.SectionName, trigger.GetProperty("connection").GetString());
        // Bound as a BlobClient (deferred binding): the host hands over a reference, never the bytes.
        Assert.Equal("True", trigger.GetProperty("properties").GetProperty("supportsDeferredBinding").GetString());
    }

    [Theory]
    [InlineData(FunctionNames.SubmitJob, "post", "jobs")]
    [InlineData(FunctionNames.GetJob, "get", "jobs/{id}")]
    [InlineData(FunctionNames.SubmitBatch, "post", "jobs:batch")]
    [InlineData(FunctionNames.GetBatch, "get", "jobs:batch/{id}")]
    [InlineData(FunctionNames.VerifyAudio, "post", "verify")]
    public void Http_functions_need_a_function_key_and_answer_one_method_on_their_route(string function, string method, string route)
    {
        var trigger = Trigger(function);

        Assert.Equal("httpTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal("Function", trigger.GetProperty("authLevel").GetString());
        Assert.Equal([method], trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal(route, trigger.GetProperty("route").GetString());
        Assert.Contains(Functions[function].GetProperty("bindings").EnumerateArray(), b => b.GetProperty("type").GetString() == "http");
    }

    [Fact]
    public void Status_urls_work_because_GetJob_route_is_SubmitJob_route_plus_the_id() =>
        Assert.Equal(
            Trigger(FunctionNames.SubmitJob).GetProperty("route").GetString() + "/{id}",
            Trigger(FunctionNames.GetJob).GetProperty("route").GetString());

    [Fact]
    public void Batch_status_urls_work_because_GetBatch_route_is_SubmitBatch_route_plus_the_id() =>
        Assert.Equal(
            Trigger(FunctionNames.SubmitBatch).GetProperty("route").GetString() + "/{id}",
            Trigger(FunctionNames.GetBatch).GetProperty("route").GetString());

    [Fact]
    public void Host_json_is_for_the_isolated_worker_with_the_api_route_prefix()
    {
        var host = HostJson;

        Assert.Equal("2.0", host.GetProperty("version").GetString());
        Assert.False(host.TryGetProperty("customHandler", out _), "custom handler settings left in host.json");
        Assert.False(host.TryGetProperty("extensionBundle", out _), "the isolated worker brings its extensions in the build; a bundle would be ignored");
        Assert.Equal("api", host.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString());
        Assert.True(File.Exists(AppOutput.File("worker.config.json")));
    }

    [Fact]
    public void Blob_trigger_concurrency_is_bounded_in_host_json()
    {
        var blobs = HostJson.GetProperty("extensions").GetProperty("blobs");

        Assert.InRange(blobs.GetProperty("maxDegreeOfParallelism").GetInt32(), 1, 8);
    }

    [Fact]
    public void The_ingest_deadline_ends_before_the_host_times_the_function_out()
    {
        var functionTimeout = TimeSpan.Parse(HostJson.GetProperty("functionTimeout").GetString()!, System.Globalization.CultureInfo.InvariantCulture);

        Assert.True(new IngestOptions().Deadline < functionTimeout - TimeSpan.FromMinutes(1),
            $"Ingest:Deadline {new IngestOptions().Deadline} leaves no time to record the failure before functionTimeout {functionTimeout}");
    }

    [Fact]
    public void The_function_classes_are_the_ones_the_metadata_points_at()
    {
        var entryPoints = Functions.Values.Select(f => f.GetProperty("entryPoint").GetString()).Order();
        var methods = typeof(SubmitJobFunction).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods())
            .Where(m => m.GetCustomAttributes(typeof(Microsoft.Azure.Functions.Worker.FunctionAttribute), false).Length > 0)
            .Select(m => $"{m.DeclaringType!.FullName}.{m.Name}")
            .Order();

        Assert.Equal(methods, entryPoints);
    }

    private static Dictionary<string, JsonElement> ReadMetadata()
    {
        var path = AppOutput.File("functions.metadata");
        Assert.True(File.Exists(path), $"{path} is missing: build functions/EchoPipeline.Functions ({RepoPaths.Root}).");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!, f => f.Clone(), StringComparer.Ordinal);
    }
}
