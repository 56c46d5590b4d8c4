using EchoPipeline.Infra.Tests.Support;
using EchoPipeline.Jobs;

namespace EchoPipeline.Infra.Tests;

/// <summary>
/// Issue 15 item 8, read from the built ARM JSON: each identity's storage roles are scoped to the containers and queues
/// its code uses, and the Functions host's storage (AzureWebJobsStorage, the deployment package) is an account of its
/// own on which the worker holds nothing.
/// </summary>
public sealed class LeastPrivilegeTests
{
    private const string Ingest = "ingestPrincipalId";
    private const string Worker = "workerPrincipalId";
    private const string Container = "Microsoft.Storage/storageAccounts/blobServices/containers";
    private static readonly IReadOnlyList<RoleGrant> Grants = RoleGrant.All();

    private static IEnumerable<string?> Containers(string principal, string role) =>
        Grants.Where(g => g.Principal == principal && g.Role == role && g.ScopeType == Container && g.Account == "storageAccountName").Select(g => g.Target).Order();

    [Fact]
    public void No_app_identity_holds_a_role_on_the_whole_data_account()
    {
        var accountWide = Grants.Where(g => g.Principal is Ingest or Worker && g.ScopeType == "Microsoft.Storage/storageAccounts" && g.Account == "storageAccountName");

        Assert.Empty(accountWide);
    }

    [Fact]
    public void The_ingest_writes_uploads_frames_and_records_and_reads_only_the_outputs_VerifyAudio_checks()
    {
        Assert.Equal([StorageNames.FramesContainer, StorageNames.JobsContainer, StorageNames.VideosContainer], Containers(Ingest, "storageBlobDataContributor"));
        Assert.Equal([StorageNames.AudioContainer, StorageNames.ScoredContainer], Containers(Ingest, "storageBlobDataReader"));
        Assert.DoesNotContain(Grants, g => g.Principal == Ingest && g.Target == StorageNames.WebhooksContainer);
    }

    [Fact]
    public void The_ingest_queue_role_is_on_the_data_accounts_queue_service_and_carries_no_blob_rights()
    {
        var queue = Assert.Single(Grants, g => g.Principal == Ingest && g.Account == "storageAccountName" && g.Role == "storageQueueDataContributor");

        Assert.Equal("Microsoft.Storage/storageAccounts/queueServices", queue.ScopeType);
    }

    [Fact]
    public void The_worker_reads_inputs_and_writes_outputs_records_and_the_outbox_container_by_container()
    {
        Assert.Equal([StorageNames.FramesContainer, StorageNames.VideosContainer], Containers(Worker, "storageBlobDataReader"));
        Assert.Equal(
            new[] { StorageNames.AudioContainer, StorageNames.JobsContainer, StorageNames.ScoredContainer, StorageNames.WebhooksContainer }.Order(),
            Containers(Worker, "storageBlobDataContributor"));
        Assert.Equal(
            StorageNames.Queues.Order(),
            Grants.Where(g => g.Principal == Worker && g.ScopeType == "Microsoft.Storage/storageAccounts/queueServices/queues").Select(g => g.Target).Order());
    }

    [Fact]
    public void Only_the_ingest_identity_has_roles_on_the_host_account_that_holds_the_deployment_package()
    {
        var onHost = Grants.Where(g => g.Account == "hostStorageAccountName").ToList();

        Assert.NotEmpty(onHost);
        Assert.All(onHost, g => Assert.Equal(Ingest, g.Principal));
        Assert.Contains(onHost, g => g.Role == "storageBlobDataOwner");
    }

    [Fact]
    public void Host_storage_and_the_deployment_package_are_on_the_host_account_not_the_data_account()
    {
        var settings = CompiledInfra.FunctionAppSettings();
        var deployment = CompiledInfra.Single("Microsoft.Web/sites")["properties"]!["functionAppConfig"]!["deployment"]!["storage"]!["value"]!.GetValue<string>();

        Assert.Equal("[parameters('hostStorageAccountName')]", settings["AzureWebJobsStorage__accountName"]);
        Assert.Contains("parameters('hostStorageAccountName')", deployment, StringComparison.Ordinal);
        Assert.DoesNotContain("parameters('storageAccountName')", deployment, StringComparison.Ordinal);
        Assert.Contains("storageAccountName", CompiledInfra.Module("host-storage")["properties"]!["parameters"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.NotEqual(
            CompiledInfra.Module("host-storage")["properties"]!["parameters"]!["storageAccountName"]!.ToJsonString(),
            CompiledInfra.Module("storage")["properties"]!["parameters"]!["storageAccountName"]!.ToJsonString());
    }

    [Fact]
    public void Both_apps_read_secrets_of_the_key_vault_and_nothing_broader()
    {
        var vault = Grants.Where(g => g.ScopeType == "Microsoft.KeyVault/vaults").ToList();

        Assert.Equal([Ingest, Worker], vault.Select(g => g.Principal).Order());
        Assert.All(vault, g => Assert.Equal("keyVaultSecretsUser", g.Role));
    }
}
