using EchoPipeline.Infra.Tests.Support;

namespace EchoPipeline.Infra.Tests;

/// <summary>
/// App settings in the compiled infra (ARM JSON) and configuration keys in code agree, in both directions (method:
/// Support/ConfigurationKeys.cs).
/// </summary>
public sealed class ConfigurationKeyTests
{
    [Theory]
    [MemberData(nameof(DeployedApp.Names), MemberType = typeof(DeployedApp))]
    public void Every_setting_infra_sets_is_read_by_the_code_or_the_platform(string app)
    {
        var deployed = DeployedApp.Named(app);
        var problems = InfraChecks.SettingsNotReadByCode(deployed.Settings(), deployed.KeysReadByCode(), deployed.PlatformSettings);

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Theory]
    [MemberData(nameof(DeployedApp.Names), MemberType = typeof(DeployedApp))]
    public void Infra_sets_the_identity_based_storage_connection(string app)
    {
        var settings = DeployedApp.Named(app).Settings();

        Assert.Empty(InfraChecks.RequiredSettingsMissing(settings, InfraChecks.IdentityStorageSettings));
        Assert.DoesNotContain("EchoStorage", settings);
    }

    [Fact]
    public void Infra_creates_the_containers_and_queues_so_the_ingest_does_not_try()
    {
        // The identities hold no right to create the pipeline's containers; storage.bicep creates them.
        Assert.Equal("false", CompiledInfra.FunctionAppSettings()["EchoStorage__createIfMissing"]);
    }

    [Theory]
    [MemberData(nameof(DeployedApp.Names), MemberType = typeof(DeployedApp))]
    public void Every_key_the_readme_lists_without_a_default_is_set_by_infra(string app)
    {
        var deployed = DeployedApp.Named(app);
        var required = ConfigurationKeys.WithoutDefault(deployed.Readme).Except(InfraChecks.KeyedAlternatives, StringComparer.OrdinalIgnoreCase);

        var problems = InfraChecks.RequiredSettingsMissing(deployed.Settings(), required);

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
        var settings = CompiledInfra.FunctionAppSettings();
        var appRoot = CompiledInfra.Module("ingest")["properties"]!["template"]!["variables"]!["appRoot"]!.GetValue<string>();
        var targets = InfraFiles.Read("infra", "functionapp", "package.targets");

        Assert.Equal("/home/site/wwwroot", appRoot);
        foreach (var (setting, tool) in new[] { ("Media__FfmpegPath", "ffmpeg"), ("Media__FfprobePath", "ffprobe") })
        {
            Assert.Equal($"[format('{{0}}/{tool}', variables('appRoot'))]", settings[setting]);
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
        var settings = DeployedApp.Ingest.Settings().Append("Ingest__MaxDownloadByte");

        var problems = InfraChecks.SettingsNotReadByCode(settings, DeployedApp.Ingest.KeysReadByCode(), DeployedApp.Ingest.PlatformSettings);

        Assert.Equal(["infra sets 'Ingest__MaxDownloadByte' but the code never reads it"], problems);
    }

    [Fact]
    public void A_missing_identity_setting_is_reported()
    {
        var settings = DeployedApp.Worker.Settings().Where(s => s != "EchoStorage__queueServiceUri").ToHashSet();

        Assert.Equal(["the code needs 'EchoStorage__queueServiceUri' but infra does not set it"], InfraChecks.RequiredSettingsMissing(settings, InfraChecks.IdentityStorageSettings));
    }

    [Fact]
    public void Options_classes_and_readme_rows_become_keys()
    {
        var read = DeployedApp.Ingest.KeysReadByCode();

        // IngestOptions (SectionName const), MediaOptions (bound with GetSection("Media")), EchoStorageOptions, README.
        Assert.Contains("Ingest__FrameConcurrency", read);
        Assert.Contains("Ingest__Deadline", read);
        Assert.Contains("Media__FfmpegPath", read);
        Assert.Contains("EchoStorage__clientId", read);
        Assert.DoesNotContain("OnVideoUploaded", read);
    }
}
