using EchoPipeline.Infra.Tests.Support;
using EchoPipeline.Jobs;

namespace EchoPipeline.Infra.Tests;

/// <summary>
/// What the Functions build declares (functions.metadata) and what the compiled infra deploys (ARM JSON) fit together:
/// the Event Grid webhook names the blob-triggered function, the trigger's connection has its identity-based
/// settings, the runtime is the isolated worker's.
/// </summary>
public sealed class FunctionAppContractTests
{
    private static System.Text.Json.Nodes.JsonNode Subscription =>
        CompiledInfra.Single("Microsoft.EventGrid/systemTopics/eventSubscriptions")["properties"]!;

    [Fact]
    public void The_app_runs_the_dotnet_isolated_10_runtime()
    {
        var runtime = CompiledInfra.Single("Microsoft.Web/sites")["properties"]!["functionAppConfig"]!["runtime"]!;

        Assert.Equal(("dotnet-isolated", "10.0"), (runtime["name"]!.GetValue<string>(), runtime["version"]!.GetValue<string>()));
    }

    [Fact]
    public void Event_grid_posts_to_the_blobs_extension_webhook_of_the_blob_triggered_function()
    {
        var (function, _) = Assert.Single(FunctionsMetadata.BlobTriggers());
        var destination = Subscription["destination"]!;

        Assert.Equal("WebHook", destination["endpointType"]!.GetValue<string>());
        Assert.Equal(
            "[format('https://{0}/runtime/webhooks/blobs?functionName=Host.Functions.{1}&code={2}', reference(resourceId('Microsoft.Web/sites', parameters('functionAppName')), '2024-04-01').defaultHostName, parameters('functionName'), parameters('blobsExtensionKey'))]",
            destination["properties"]!["endpointUrl"]!.GetValue<string>());
        Assert.Equal(function, CompiledInfra.ModuleDefault("events", "functionName"));
    }

    [Fact]
    public void Every_http_function_the_app_deploys_needs_a_function_key()
    {
        var http = (from f in FunctionsMetadata.Functions
                    from b in f["bindings"]!.AsArray()
                    where b!["type"]!.GetValue<string>() == "httpTrigger"
                    select (Name: f["name"]!.GetValue<string>(), Auth: b!["authLevel"]!.GetValue<string>())).ToList();

        Assert.Equal(["GetBatch", "GetJob", "SubmitBatch", "SubmitJob", "VerifyAudio"], http.Select(h => h.Name).Order(StringComparer.Ordinal));
        Assert.All(http, h => Assert.Equal("Function", h.Auth));
    }

    [Fact]
    public void Event_grid_sends_blob_created_for_the_container_the_trigger_watches()
    {
        var (_, trigger) = Assert.Single(FunctionsMetadata.BlobTriggers());
        var container = trigger["path"]!.GetValue<string>().Split('/')[0];
        var filter = Subscription["filter"]!;

        Assert.Equal("EventGrid", trigger["source"]!.GetValue<string>());
        Assert.Equal(StorageNames.VideosContainer, container);
        Assert.Equal($"/blobServices/default/containers/{container}/", filter["subjectBeginsWith"]!.GetValue<string>());
        Assert.Equal(["Microsoft.Storage.BlobCreated"], filter["includedEventTypes"]!.AsArray().Select(t => t!.GetValue<string>()));
    }

    [Fact]
    public void Undeliverable_events_are_dead_lettered_with_the_topic_identity()
    {
        var deadLetter = Subscription["deadLetterWithResourceIdentity"]!;

        Assert.Equal("SystemAssigned", deadLetter["identity"]!["type"]!.GetValue<string>());
        Assert.Equal("StorageBlob", deadLetter["deadLetterDestination"]!["endpointType"]!.GetValue<string>());
        Assert.Equal("SystemAssigned", CompiledInfra.Single("Microsoft.EventGrid/systemTopics")["identity"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public void The_trigger_connection_has_its_identity_based_settings()
    {
        var (_, trigger) = Assert.Single(FunctionsMetadata.BlobTriggers());
        var connection = trigger["connection"]!.GetValue<string>();
        var settings = CompiledInfra.FunctionAppSettings();

        foreach (var suffix in new[] { "blobServiceUri", "queueServiceUri", "clientId" })
        {
            Assert.True(settings.ContainsKey($"{connection}__{suffix}"), $"{connection}__{suffix} is not set");
        }

        Assert.Equal("managedidentity", settings[$"{connection}__credential"]);
        Assert.False(settings.ContainsKey(connection), "a connection string would take precedence over the identity");
    }

    [Fact]
    public void The_webhook_key_is_a_secure_parameter_the_hook_provides()
    {
        Assert.Equal("securestring", CompiledInfra.Main["parameters"]!["blobsExtensionKey"]!["type"]!.GetValue<string>());
        Assert.Contains("${ECHO_BLOBS_EXTENSION_KEY=}", InfraFiles.Read("infra", "main.parameters.json"), StringComparison.Ordinal);
        Assert.Contains("systemKeys.blobs_extension", InfraFiles.Read("infra", "scripts", "enable-events.sh"), StringComparison.Ordinal);
    }
}
