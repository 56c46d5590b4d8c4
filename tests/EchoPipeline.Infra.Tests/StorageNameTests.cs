using EchoPipeline.Infra.Tests.Support;
using EchoPipeline.Jobs;

namespace EchoPipeline.Infra.Tests;

public sealed class StorageNameTests
{
    private static System.Text.Json.Nodes.JsonNode StorageVariables => CompiledInfra.Module("storage")["properties"]!["template"]!["variables"]!;

    [Fact]
    public void Infra_creates_exactly_the_containers_and_queues_of_StorageNames()
    {
        Assert.Equal(StorageNames.Containers.Order(), StorageVariables["containerNames"]!.AsArray().Select(n => n!.GetValue<string>()).Order());
        Assert.Equal(StorageNames.Queues.Order(), StorageVariables["queueNames"]!.AsArray().Select(n => n!.GetValue<string>()).Order());
    }

    [Theory]
    [InlineData("host-storage", "deploymentContainerName")]
    [InlineData("storage", "deadLetterContainerName")]
    public void The_deployment_and_dead_letter_containers_are_not_pipeline_containers(string module, string variable)
    {
        var name = CompiledInfra.Module(module)["properties"]!["template"]!["variables"]![variable]!.GetValue<string>();

        Assert.NotEmpty(name);
        Assert.DoesNotContain(name, StorageNames.Containers);
    }

    [Fact]
    public void A_renamed_container_is_caught()
    {
        var mutated = InfraFiles.Storage.Replace("'scored'", "'scores'", StringComparison.Ordinal);

        Assert.NotEqual(StorageNames.Containers.Order(), BicepText.StringArray(mutated, "containerNames").Order());
    }
}
