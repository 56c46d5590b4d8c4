namespace EchoPipeline.Infra.Tests.Support;

/// <summary>One deployed stage: where its code and README are, which Bicep file configures it, what the platform reads.</summary>
internal sealed record DeployedApp(string Name, string BicepFile, string[] SourceDirectories, string Readme, IReadOnlySet<string> PlatformSettings)
{
    /// <summary>Read by the Functions host, not by the handler (functions/README.md, "Configuration keys", last paragraph).</summary>
    private static readonly HashSet<string> FunctionsHostSettings = new(StringComparer.OrdinalIgnoreCase)
    {
        "AzureWebJobsStorage__accountName",
        "AzureWebJobsStorage__credential",
        "AzureWebJobsStorage__clientId",
        "APPLICATIONINSIGHTS_CONNECTION_STRING",
        "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
    };

    public static DeployedApp Ingest { get; } = new(
        "ingest",
        InfraFiles.Path("infra", "app", "functions.bicep"),
        [InfraFiles.Path("functions", "EchoPipeline.Functions"), InfraFiles.Path("core")],
        InfraFiles.Path("functions", "README.md"),
        FunctionsHostSettings);

    public static DeployedApp Worker { get; } = new(
        "worker",
        InfraFiles.Path("infra", "app", "worker.bicep"),
        [InfraFiles.Path("workers", "EchoPipeline.Worker"), InfraFiles.Path("core")],
        InfraFiles.Path("workers", "README.md"),
        new HashSet<string>(StringComparer.OrdinalIgnoreCase));

    public static TheoryData<string> Names => new(Ingest.Name, Worker.Name);

    public static DeployedApp Named(string name) => name == Ingest.Name ? Ingest : Worker;

    public IReadOnlySet<string> KeysReadByCode()
    {
        var keys = new HashSet<string>(ConfigurationKeys.FromSources(SourceDirectories), StringComparer.OrdinalIgnoreCase);
        keys.UnionWith(ConfigurationKeys.FromReadme(Readme));
        return keys;
    }

    public override string ToString() => Name;
}
