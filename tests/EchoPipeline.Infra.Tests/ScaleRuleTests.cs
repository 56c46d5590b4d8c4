using EchoPipeline.Infra.Tests.Support;
using EchoPipeline.Jobs;

namespace EchoPipeline.Infra.Tests;

public sealed class ScaleRuleTests
{
    [Fact]
    public void The_keda_rule_watches_the_queue_the_worker_consumes_with_its_identity_from_zero()
    {
        Assert.Empty(InfraChecks.QueueScaleRule(InfraFiles.Worker, StorageNames.JobsQueue));
    }

    [Fact]
    public void Pending_webhook_deliveries_in_the_outbox_wake_a_worker_through_a_blob_count_rule_with_its_identity()
    {
        var rules = CompiledInfra.Single("Microsoft.App/containerApps")["properties"]!["template"]!["scale"]!["rules"]!.AsArray();
        var outbox = Assert.Single(rules, r => r!["name"]!.GetValue<string>() == "webhook-outbox")!["custom"]!;
        var variables = CompiledInfra.Module("worker")["properties"]!["template"]!["variables"]!;

        Assert.Equal("azure-blob", outbox["type"]!.GetValue<string>());
        Assert.Equal("[variables('webhooksContainerName')]", outbox["metadata"]!["blobContainerName"]!.GetValue<string>());
        Assert.Equal(StorageNames.WebhooksContainer, variables["webhooksContainerName"]!.GetValue<string>());
        Assert.Equal("[parameters('storageAccountName')]", outbox["metadata"]!["accountName"]!.GetValue<string>());
        Assert.Contains("Microsoft.ManagedIdentity/userAssignedIdentities", outbox["identity"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(outbox["auth"]);
    }

    [Fact]
    public void The_queue_length_per_replica_is_a_parameter_passed_through()
    {
        Assert.Contains("queueLength: queueLengthPerReplica", InfraFiles.Worker, StringComparison.Ordinal);
        Assert.Contains("queueLengthPerReplica: workerQueueLengthPerReplica", InfraFiles.Main, StringComparison.Ordinal);
        Assert.Contains("\"workerQueueLengthPerReplica\"", InfraFiles.Read("infra", "main.parameters.json"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("var jobsQueueName = 'echo-jobs'", "var jobsQueueName = 'echo-jobs-poison'", "watches queue 'echo-jobs-poison'")]
    [InlineData("minReplicas: 0", "minReplicas: 1", "scale to zero")]
    [InlineData("identity: identity.id\n            }", "auth: [ { secretRef: 'queue-connection', triggerParameter: 'connection' } ]\n            }", "managed identity")]
    [InlineData("accountName: storage.name", "", "accountName")]
    public void A_broken_scale_rule_is_reported(string original, string replacement, string expected)
    {
        var worker = InfraFiles.Worker.Replace("\r\n", "\n", StringComparison.Ordinal);
        Assert.Contains(original, worker, StringComparison.Ordinal);

        var problems = InfraChecks.QueueScaleRule(worker.Replace(original, replacement, StringComparison.Ordinal), StorageNames.JobsQueue);

        Assert.Contains(problems, p => p.Contains(expected, StringComparison.Ordinal));
    }
}
