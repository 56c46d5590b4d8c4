using System.Text.RegularExpressions;
using EchoPipeline.Infra.Tests.Support;

namespace EchoPipeline.Infra.Tests;

public sealed class ParameterTests
{
    private static readonly string[] GpuProfiles = ["Consumption-GPU-NC8as-T4", "Consumption-GPU-NC24-A100"];

    [Fact]
    public void The_gpu_profile_allows_exactly_the_serverless_gpu_types_everywhere_it_is_declared()
    {
        Assert.Equal(GpuProfiles, BicepText.AllowedValues(InfraFiles.Main, "gpuWorkloadProfileType"));
        Assert.Equal(GpuProfiles, BicepText.AllowedValues(InfraFiles.Worker, "gpuWorkloadProfileType"));
        Assert.Equal(GpuProfiles, BicepText.AllowedValues(InfraFiles.Read("infra", "app", "container-apps.bicep"), "gpuWorkloadProfileType"));
    }

    [Fact]
    public void The_parameter_file_default_for_the_gpu_profile_is_allowed()
    {
        var parameters = InfraFiles.Read("infra", "main.parameters.json");
        var fallback = Regex.Match(parameters, @"\$\{ECHO_GPU_PROFILE=(?<v>[^}]*)\}").Groups["v"].Value;

        Assert.Contains(fallback, GpuProfiles);
    }

    [Fact]
    public void The_ingest_and_the_worker_get_the_bundle_id_from_one_parameter()
    {
        // Job ids are derived with the ingest's bundle id; the worker refuses another bundle: both must be one value.
        foreach (var module in new[] { "ingest", "worker" })
        {
            Assert.Equal("[parameters('bundleId')]", CompiledInfra.Module(module)["properties"]!["parameters"]!["bundleId"]!["value"]!.GetValue<string>());
        }

        Assert.Equal("[parameters('bundleId')]", CompiledInfra.FunctionAppSettings()["Ingest__BundleId"]);
        Assert.Contains("Worker__BundleId", CompiledInfra.WorkerEnvironment());
        Assert.Contains("{ name: 'Worker__BundleId', value: bundleId }", InfraFiles.Worker, StringComparison.Ordinal);
    }

    [Fact]
    public void The_worker_sizes_its_batches_from_the_gpu_memory_unless_a_batch_size_is_given()
    {
        var template = CompiledInfra.Module("worker")["properties"]!["template"]!;
        var batchSize = template["parameters"]!["batchSize"]!;
        var deviceMemory = template["variables"]!["deviceMemoryMiB"]!.GetValue<string>();

        // 0 leaves Worker__BatchSize unset (the worker's pick from memory); the worker's own range is 1..32.
        Assert.Equal(0, batchSize["defaultValue"]!.GetValue<int>());
        Assert.Equal(32, batchSize["maxValue"]!.GetValue<int>());
        Assert.Contains("greater(parameters('batchSize'), 0)", template["variables"]!["batchSizeEnv"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("Worker__DeviceMemoryMiB", CompiledInfra.WorkerEnvironment());
        // Each profile's GPU memory (A100 80 GB, T4 16 GB) less the CUDA context, in MiB.
        Assert.Matches(@"Consumption-GPU-NC24-A100'\), 80000, 15000\)", deviceMemory);
    }

    [Fact]
    public void Every_parameter_in_the_parameter_file_is_declared_by_main()
    {
        var declared = Regex.Matches(InfraFiles.Main, @"(?m)^param\s+(\w+)").Select(m => m.Groups[1].Value).ToHashSet();
        var passed = Regex.Matches(InfraFiles.Read("infra", "main.parameters.json"), @"""(\w+)"":\s*\{\s*""value""").Select(m => m.Groups[1].Value).ToList();

        Assert.NotEmpty(passed);
        Assert.All(passed, p => Assert.Contains(p, declared));
    }

    [Fact]
    public void Resource_names_come_from_uniqueString_and_the_abbreviations()
    {
        var main = InfraFiles.Main;
        var abbreviations = InfraFiles.Read("infra", "abbreviations.json");

        Assert.Contains("uniqueString(subscription().id, environmentName, location)", main, StringComparison.Ordinal);
        foreach (Match use in Regex.Matches(main, @"abbrs\.(\w+)"))
        {
            Assert.Contains($"\"{use.Groups[1].Value}\"", abbreviations, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Both_services_carry_their_azd_service_name_tag()
    {
        Assert.Contains("'azd-service-name': 'ingest'", InfraFiles.Functions, StringComparison.Ordinal);
        Assert.Contains("'azd-service-name': 'worker'", InfraFiles.Worker, StringComparison.Ordinal);
        Assert.Contains("'azd-env-name': environmentName", InfraFiles.Main, StringComparison.Ordinal);
    }

    [Fact]
    public void Main_references_only_modules_that_exist()
    {
        foreach (Match module in Regex.Matches(InfraFiles.Main, @"module\s+\w+\s+'(?<path>[^']+)'"))
        {
            Assert.True(File.Exists(InfraFiles.Path("infra", module.Groups["path"].Value)), module.Groups["path"].Value);
        }
    }
}
