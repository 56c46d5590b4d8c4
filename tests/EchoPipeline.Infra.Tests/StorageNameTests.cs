using EchoPipeline.Infra.Tests.Support;
using EchoPipeline.Jobs;

namespace EchoPipeline.Infra.Tests;

public sealed class StorageNameTests
{
    [Fact]
    public void Infra_creates_exactly_the_containers_and_queues_of_StorageNames()
    {
        Assert.Equal(StorageNames.Containers.Order(), BicepText.StringArray(InfraFiles.Storage, "containerNames").Order());
        Assert.Equal(StorageNames.Queues.Order(), BicepText.StringArray(InfraFiles.Storage, "queueNames").Order());
    }

    [Fact]
    public void The_deployment_container_is_not_a_pipeline_container()
    {
        var deployment = System.Text.RegularExpressions.Regex.Match(InfraFiles.Storage, @"var deploymentContainerName = '(?<n>[^']+)'").Groups["n"].Value;

        Assert.NotEmpty(deployment);
        Assert.DoesNotContain(deployment, StorageNames.Containers);
    }

    [Fact]
    public void Event_grid_delivers_blob_created_in_the_videos_container_to_OnVideoUploaded()
    {
        var events = BicepText.WithoutComments(InfraFiles.Events);

        Assert.Contains($"subjectBeginsWith: '/blobServices/default/containers/{StorageNames.VideosContainer}/'", events, StringComparison.Ordinal);
        Assert.Contains("'Microsoft.Storage.BlobCreated'", events, StringComparison.Ordinal);
        Assert.Contains("endpointType: 'AzureFunction'", events, StringComparison.Ordinal);
        Assert.Contains("resourceId: '${functionApp.id}/functions/OnVideoUploaded'", events, StringComparison.Ordinal);
        Assert.True(File.Exists(InfraFiles.Path("functions", "OnVideoUploaded", "function.json")));
        Assert.Contains("eventGridTrigger", InfraFiles.Read("functions", "OnVideoUploaded", "function.json"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_renamed_container_is_caught()
    {
        var mutated = InfraFiles.Storage.Replace("'scored'", "'scores'", StringComparison.Ordinal);

        Assert.NotEqual(StorageNames.Containers.Order(), BicepText.StringArray(mutated, "containerNames").Order());
    }
}
