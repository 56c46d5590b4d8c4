using EchoPipeline.Infra.Tests.Support;

namespace EchoPipeline.Infra.Tests;

/// <summary>App settings in infra and configuration keys in code agree, in both directions (method: Support/ConfigurationKeys.cs).</summary>
public sealed class ConfigurationKeyTests
{
    [Theory]
    [MemberData(nameof(DeployedApp.Names), MemberType = typeof(DeployedApp))]
    public void Every_setting_infra_sets_is_read_by_the_code_or_the_platform(string app)
    {
        var deployed = DeployedApp.Named(app);
        var problems = InfraChecks.SettingsNotReadByCode(File.ReadAllText(deployed.BicepFile), deployed.KeysReadByCode(), deployed.PlatformSettings);

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Theory]
    [MemberData(nameof(DeployedApp.Names), MemberType = typeof(DeployedApp))]
    public void Infra_sets_the_identity_based_storage_connection(string app)
    {
        var deployed = DeployedApp.Named(app);
        var bicep = File.ReadAllText(deployed.BicepFile);

        Assert.Empty(InfraChecks.RequiredSettingsMissing(bicep, InfraChecks.IdentityStorageSettings));
        Assert.DoesNotContain("EchoStorage", BicepText.Settings(bicep));
        // Containers and queues come from storage.bicep; the identities hold no right to create queues.
        Assert.Equal("false", BicepText.LiteralValue(bicep, "EchoStorage__createIfMissing"));
    }

    [Theory]
    [MemberData(nameof(DeployedApp.Names), MemberType = typeof(DeployedApp))]
    public void Every_key_the_readme_lists_without_a_default_is_set_by_infra(string app)
    {
        var deployed = DeployedApp.Named(app);
        var required = ConfigurationKeys.WithoutDefault(deployed.Readme).Except(InfraChecks.KeyedAlternatives, StringComparer.OrdinalIgnoreCase);

        var problems = InfraChecks.RequiredSettingsMissing(File.ReadAllText(deployed.BicepFile), required);

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public void The_code_reads_the_identity_settings_infra_relies_on()
    {
        foreach (var app in new[] { DeployedApp.Ingest, DeployedApp.Worker })
        {
            var read = ConfigurationKeys.FromSources(app.SourceDirectories);
            Assert.All(InfraChecks.IdentityStorageSettings, key => Assert.Contains(key, read));
        }
    }

    [Fact]
    public void Ingest_points_media_at_the_ffmpeg_shipped_in_the_package()
    {
        var targets = InfraFiles.Read("infra", "functionapp", "package.targets");

        foreach (var (setting, tool) in new[] { ("Media__FfmpegPath", "ffmpeg"), ("Media__FfprobePath", "ffprobe") })
        {
            Assert.Equal($"/home/site/wwwroot/{tool}", BicepText.LiteralValue(InfraFiles.Functions.Replace("${appRoot}", "/home/site/wwwroot", StringComparison.Ordinal), setting));
            Assert.Contains($"Link=\"{tool}\"", targets, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_worker_runs_the_cuda_provider_on_the_gpu_profile()
    {
        Assert.Equal("Cuda", BicepText.LiteralValue(InfraFiles.Worker, "Worker__ExecutionProvider"));
        Assert.Contains("workloadProfileName: gpuWorkloadProfileName", InfraFiles.Worker, StringComparison.Ordinal);
    }

    [Fact]
    public void A_setting_nobody_reads_is_reported()
    {
        var mutated = InfraFiles.Functions.Replace(
            "{ name: 'EchoStorage__createIfMissing', value: 'false' }",
            "{ name: 'EchoStorage__createIfMissing', value: 'false' }\n        { name: 'Ingest__MaxDownloadByte', value: '1' }",
            StringComparison.Ordinal);

        var problems = InfraChecks.SettingsNotReadByCode(mutated, DeployedApp.Ingest.KeysReadByCode(), DeployedApp.Ingest.PlatformSettings);

        Assert.Equal(["infra sets 'Ingest__MaxDownloadByte' but the code never reads it"], problems);
    }

    [Fact]
    public void A_missing_identity_setting_is_reported()
    {
        var mutated = InfraFiles.Worker.Replace("{ name: 'EchoStorage__queueServiceUri', value: storage.properties.primaryEndpoints.queue }", "", StringComparison.Ordinal);

        Assert.Equal(["the code needs 'EchoStorage__queueServiceUri' but infra does not set it"], InfraChecks.RequiredSettingsMissing(mutated, InfraChecks.IdentityStorageSettings));
    }

    [Fact]
    public void A_commented_out_setting_does_not_count()
    {
        var mutated = InfraFiles.Worker.Replace("{ name: 'EchoStorage__clientId'", "// { name: 'EchoStorage__clientId'", StringComparison.Ordinal);

        Assert.Single(InfraChecks.RequiredSettingsMissing(mutated, InfraChecks.IdentityStorageSettings));
    }

    [Fact]
    public void Options_classes_and_readme_rows_become_keys()
    {
        var read = DeployedApp.Ingest.KeysReadByCode();

        // IngestOptions (SectionName const), MediaOptions (bound with GetSection("Media")), EchoStorageOptions, README.
        Assert.Contains("Ingest__FrameConcurrency", read);
        Assert.Contains("Media__FfmpegPath", read);
        Assert.Contains("EchoStorage__clientId", read);
        Assert.DoesNotContain("OnVideoUploaded", read);
    }
}
