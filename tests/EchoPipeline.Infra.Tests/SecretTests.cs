using EchoPipeline.Infra.Tests.Support;

namespace EchoPipeline.Infra.Tests;

public sealed class SecretTests
{
    [Fact]
    public void No_file_of_the_template_holds_keys_or_secrets()
    {
        var problems = InfraFiles.All().SelectMany(f => InfraChecks.Secrets(f.Key, f.Value)).ToList();

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public void Shared_key_access_is_disabled_on_the_storage_account()
    {
        Assert.Empty(InfraChecks.SharedKeyAccess(InfraFiles.Storage));
    }

    [Fact]
    public void The_webhook_secret_is_a_secure_parameter_kept_as_a_container_apps_secret()
    {
        Assert.Matches(@"@secure\(\)\s*(@description\([^\n]*\)\s*)?param webhookSecret string", InfraFiles.Main);
        Assert.Matches(@"@secure\(\)\s*param webhookSecret string", InfraFiles.Worker);
        Assert.Contains("secretRef: 'webhook-secret'", InfraFiles.Worker, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("storage.listKeys().keys[0].value", "list*()")]
    [InlineData("'DefaultEndpointsProtocol=https;AccountName=x;AccountKey=${k}'", "AccountKey=")]
    [InlineData("'https://x.blob.core.windows.net/videos?sv=2022-11-02&sig=abc'", "SAS")]
    [InlineData("'Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFy=='", "base64")]
    public void A_key_in_an_app_setting_is_reported(string value, string expected)
    {
        var mutated = InfraFiles.Functions.Replace("value: storage.properties.primaryEndpoints.queue", $"value: {value}", StringComparison.Ordinal);

        Assert.Contains(InfraChecks.Secrets("functions.bicep", mutated), p => p.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Enabling_shared_key_access_is_reported()
    {
        var mutated = InfraFiles.Storage.Replace("allowSharedKeyAccess: false", "allowSharedKeyAccess: true", StringComparison.Ordinal);

        Assert.NotEmpty(InfraChecks.SharedKeyAccess(mutated));
        Assert.NotEmpty(InfraChecks.Secrets("storage.bicep", mutated));
    }
}
