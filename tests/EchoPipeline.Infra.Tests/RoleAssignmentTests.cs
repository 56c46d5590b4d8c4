using EchoPipeline.Infra.Tests.Support;
using EchoPipeline.Jobs;

namespace EchoPipeline.Infra.Tests;

public sealed class RoleAssignmentTests
{
    private static string Roles => InfraFiles.Read("infra", "app", "roles.bicep");

    [Fact]
    public void Every_role_assignment_is_named_with_guid_of_scope_principal_and_role()
    {
        Assert.True(InfraChecks.RoleAssignmentCount(Roles) >= 6);
        Assert.Empty(InfraChecks.RoleAssignmentNames(Roles));
        Assert.All(InfraFiles.All().Where(f => f.Key.EndsWith(".bicep", StringComparison.Ordinal)), f => Assert.Empty(InfraChecks.RoleAssignmentNames(f.Value)));
    }

    [Fact]
    public void Roles_are_data_plane_and_least_privilege()
    {
        var roles = BicepText.WithoutComments(Roles);

        // Owner, Contributor and User Access Administrator never appear.
        foreach (var broad in new[] { "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "b24988ac-6180-42a0-ab88-20f7382dd24c", "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9" })
        {
            Assert.DoesNotContain(broad, roles, StringComparison.Ordinal);
        }

        Assert.Contains("name: guid(registry.id, workerPrincipalId, acrPull)", roles, StringComparison.Ordinal);
        // The blob trigger reads, updates and deletes messages of its internal queue: Message Sender is not enough.
        Assert.Contains("name: guid(queueService.id, ingestPrincipalId, storageQueueDataContributor)", roles, StringComparison.Ordinal);
        Assert.DoesNotContain("guid(storage.id, ingestPrincipalId", roles, StringComparison.Ordinal);
        // The worker's roles are scoped to its containers and queues, never to the whole account.
        Assert.Contains("name: guid(jobQueues[i].id, workerPrincipalId, storageQueueDataContributor)", roles, StringComparison.Ordinal);
        Assert.Contains("name: guid(writeContainers[i].id, workerPrincipalId, storageBlobDataContributor)", roles, StringComparison.Ordinal);
        Assert.Contains("name: guid(readContainers[i].id, workerPrincipalId, storageBlobDataReader)", roles, StringComparison.Ordinal);
        Assert.DoesNotContain("guid(storage.id, workerPrincipalId", roles, StringComparison.Ordinal);
    }

    [Fact]
    public void The_worker_may_write_the_batch_records_it_completes_and_the_outbox_their_webhooks_go_through()
    {
        var writable = BicepText.StringArray(Roles, "workerWriteContainers");

        // BatchStore keeps batch records and member markers beside the job records; the worker completes batches.
        Assert.Contains(StorageNames.JobsContainer, writable);
        Assert.Contains(StorageNames.WebhooksContainer, writable);
        Assert.DoesNotContain(StorageNames.JobsContainer, BicepText.StringArray(Roles.Replace("'audio', 'scored', 'jobs', 'webhooks'", "'audio', 'scored', 'webhooks'", StringComparison.Ordinal), "workerWriteContainers"));
    }

    [Fact]
    public void A_fixed_role_assignment_name_is_reported()
    {
        var mutated = Roles.Replace("name: guid(registry.id, workerPrincipalId, acrPull)", "name: 'worker-acr-pull'", StringComparison.Ordinal);

        Assert.Equal(["role assignment 'workerPull' is named ''worker-acr-pull'', not guid(scope.id, principal, role)"], InfraChecks.RoleAssignmentNames(mutated));
    }
}
