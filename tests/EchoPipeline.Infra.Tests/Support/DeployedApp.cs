namespace EchoPipeline.Infra.Tests.Support;

/// <summary>One deployed stage: where its code and README are, the settings the compiled infra gives it, what the platform reads.</summary>
internal sealed record DeployedApp(string Name, Func<IReadOnlySet<string>> Settings, string[] SourceDirectories, string Readme, IReadOnlySet<string> PlatformSettings)
{
    /// <summary>Read by the Functions host, not by the app's code (functions/README.md, "Configuration keys").</summary>
    private static readonly HashSet<string> FunctionsHostSettings = new(StringComparer.OrdinalIgnoreCase)
    {
        // The blob trigger's identity-based connection: the host's blobs extension reads the credential kind.
        "EchoStorage__credential",
        "AzureWebJobsStorage__accountName",
        "AzureWebJobsStorage__credential",
        "AzureWebJobsStorage__clientId",
        "APPLICATIONINSIGHTS_CONNECTION_STRING",
        "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
    };

    public static DeployedApp Ingest { get; } = new(
        "ingest",
        () => CompiledInfra.FunctionAppSettings().Keys.ToHashSet(StringComparer.OrdinalIgnoreCase),
        [InfraFiles.Path("functions", "EchoPipeline.Functions"), InfraFiles.Path("functions", "EchoPipeline.Ingest"), InfraFiles.Path("core")],
        InfraFiles.Path("functions", "README.md"),
        FunctionsHostSettings);

    public static DeployedApp Worker { get; } = new(
        "worker",
        CompiledInfra.WorkerEnvironment,
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
