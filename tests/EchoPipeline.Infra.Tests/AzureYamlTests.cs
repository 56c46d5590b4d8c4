using EchoPipeline.Infra.Tests.Support;

namespace EchoPipeline.Infra.Tests;

public sealed class AzureYamlTests
{
    private static readonly IReadOnlyDictionary<string, string> Yaml = AzureYaml.Parse(InfraFiles.AzureYaml);

    [Fact]
    public void Two_services_ingest_on_functions_and_worker_on_container_apps()
    {
        Assert.Equal(["ingest", "worker"], AzureYaml.Services(Yaml).Order());
        Assert.Equal("function", Yaml["services.ingest.host"]);
        Assert.Equal("dotnet", Yaml["services.ingest.language"]);
        Assert.Equal("containerapp", Yaml["services.worker.host"]);
        Assert.Equal("bicep", Yaml["infra.provider"]);
        Assert.True(Directory.Exists(InfraFiles.Path(Yaml["infra.path"])));
    }

    [Fact]
    public void The_ingest_project_publishes_a_complete_function_app()
    {
        var project = InfraFiles.Path(Yaml["services.ingest.project"]);
        var csproj = Assert.Single(Directory.GetFiles(project, "*.csproj"));
        var text = File.ReadAllText(csproj);

        // An isolated worker app (the SDK writes functions.metadata), host.json and the Azure package targets (FFmpeg).
        Assert.Contains("Microsoft.Azure.Functions.Worker.Sdk", text, StringComparison.Ordinal);
        Assert.Contains("host.json", text, StringComparison.Ordinal);
        Assert.Contains("infra/functionapp/package.targets", text, StringComparison.Ordinal);
        Assert.True(File.Exists(InfraFiles.Path("host.json")));
        Assert.NotEmpty(FunctionsMetadata.Functions);
    }

    [Fact]
    public void The_worker_dockerfile_and_context_exist()
    {
        var project = InfraFiles.Path(Yaml["services.worker.project"]);
        var dockerfile = Path.GetFullPath(Path.Combine(project, Yaml["services.worker.docker.path"]));
        var context = Path.GetFullPath(Path.Combine(project, Yaml["services.worker.docker.context"]));

        Assert.True(Directory.Exists(project), project);
        Assert.True(File.Exists(dockerfile), $"{dockerfile} (azure.yaml services.worker.docker.path) does not exist");
        Assert.Equal(Path.GetFullPath(InfraFiles.Path(".")), context);
    }

    [Fact]
    public void Hook_scripts_exist_where_azd_runs_them()
    {
        var ingestHook = Path.GetFullPath(Path.Combine(InfraFiles.Path(Yaml["services.ingest.project"]), Yaml["services.ingest.hooks.prepackage.run"]));
        var projectHook = InfraFiles.Path(Yaml["hooks.postdeploy.run"]);

        Assert.True(File.Exists(ingestHook), ingestHook);
        Assert.True(File.Exists(projectHook), projectHook);
    }

    [Fact]
    public void Yaml_lite_reads_nested_keys_and_ignores_comments()
    {
        var parsed = AzureYaml.Parse("a:\n  b: 1 # note\n  c:\n    d: 'x'\n# e: 2\nf: g\n");

        Assert.Equal(new Dictionary<string, string> { ["a.b"] = "1", ["a.c.d"] = "x", ["f"] = "g" }, parsed);
    }
}
