using System.Text.Json.Nodes;
using EchoPipeline.Infra.Tests.Support;

namespace EchoPipeline.Infra.Tests;

/// <summary>
/// Issue 19: the watermark key's secret lives in Key Vault; the worker and the ingest app (VerifyAudio) read it through
/// references resolved with their managed identities; no template file, parameter default or output carries it.
/// </summary>
public sealed class KeyVaultTests
{
    private static JsonObject Vault => CompiledInfra.Single("Microsoft.KeyVault/vaults");

    private static JsonObject WorkerApp => CompiledInfra.Single("Microsoft.App/containerApps");

    [Fact]
    public void The_vault_authorizes_with_rbac_and_keeps_deleted_secrets()
    {
        var properties = Vault["properties"]!;

        Assert.True(properties["enableRbacAuthorization"]!.GetValue<bool>());
        Assert.True(properties["enablePurgeProtection"]!.GetValue<bool>());
        Assert.Null(properties["accessPolicies"]);
    }

    [Fact]
    public void The_watermark_secret_is_a_secure_parameter_without_a_default_value_and_no_output_names_it()
    {
        Assert.Matches(@"@secure\(\)\s*(@description\([^\n]*\)\s*)?param watermarkSecret string = ''", InfraFiles.Main);
        Assert.Contains("\"value\": \"${ECHO_WATERMARK_SECRET=}\"", InfraFiles.Read("infra", "main.parameters.json"), StringComparison.Ordinal);
        Assert.Equal("securestring", CompiledInfra.Main["parameters"]!["watermarkSecret"]!["type"]!.GetValue<string>());
        var outputs = CompiledInfra.Resources(CompiledInfra.Main)
            .Where(r => r["type"]!.GetValue<string>() == "Microsoft.Resources/deployments")
            .Select(r => r["properties"]!["template"]!["outputs"]?.ToJsonString() ?? "")
            .Append(CompiledInfra.Main["outputs"]!.ToJsonString());
        Assert.All(outputs, o => Assert.DoesNotContain("watermarkSecret'", o, StringComparison.Ordinal));
    }

    [Fact]
    public void The_functions_app_reads_the_secret_as_a_key_vault_reference_with_its_identity()
    {
        var settings = CompiledInfra.FunctionAppSettings();
        var site = CompiledInfra.Single("Microsoft.Web/sites")["properties"]!;
        var variables = CompiledInfra.Module("ingest")["properties"]!["template"]!["variables"]!;

        Assert.Equal("[variables('watermarkReference')]", settings["Watermark__Secret"]);
        Assert.Equal("[format('@Microsoft.KeyVault(SecretUri={0}secrets/{1}/)', parameters('keyVaultUri'), parameters('watermarkSecretName'))]", variables["watermarkReference"]!.GetValue<string>());
        Assert.Equal("[if(parameters('acceptPreviousWatermarkKey'), variables('previousWatermarkReference'), '')]", settings["Watermark__PreviousSecrets__0"]);
        Assert.Contains("parameters('previousWatermarkSecretName')", variables["previousWatermarkReference"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("Microsoft.ManagedIdentity/userAssignedIdentities", site["keyVaultReferenceIdentity"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_worker_gets_the_secret_from_key_vault_by_reference_never_by_value()
    {
        var secrets = WorkerApp["properties"]!["configuration"]!["secrets"]!.GetValue<string>();

        Assert.Contains("createObject('name', 'watermark-secret', 'keyVaultUrl', format('{0}secrets/{1}', parameters('keyVaultUri'), parameters('watermarkSecretName')), 'identity'", secrets, StringComparison.Ordinal);
        Assert.DoesNotContain("'watermark-secret', 'value'", secrets, StringComparison.Ordinal);
        Assert.Contains("{ name: 'Watermark__Secret', secretRef: 'watermark-secret' }", InfraFiles.Worker, StringComparison.Ordinal);
    }

    [Fact]
    public void Both_apps_are_pointed_at_the_vault_and_secret_names_the_vault_module_makes()
    {
        foreach (var module in new[] { "ingest", "worker" })
        {
            var parameters = CompiledInfra.Module(module)["properties"]!["parameters"]!;
            Assert.Contains("'Microsoft.Resources/deployments', 'keyvault'), '2025-04-01').outputs.uri.value", parameters["keyVaultUri"]!["value"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Contains("'keyvault'), '2025-04-01').outputs.watermarkSecretName.value", parameters["watermarkSecretName"]!["value"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        Assert.Equal("echo-watermark", CompiledInfra.Module("keyvault")["properties"]!["template"]!["variables"]!["watermarkSecretName"]!.GetValue<string>());
    }
}
