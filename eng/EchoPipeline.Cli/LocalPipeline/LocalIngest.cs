using EchoPipeline.Ingest;
using EchoPipeline.Jobs.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EchoPipeline.Cli.LocalPipeline;

/// <summary>
/// The ingest library hosted in the CLI, registered exactly as the Functions app registers it (AddEchoIngest) against
/// the same account the CLI uses, with its settings validated as a host validates them at start.
/// </summary>
internal sealed class LocalIngest : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private LocalIngest(ServiceProvider services)
    {
        _services = services;
        Delivery = new InProcessDelivery(services.GetRequiredService<EchoStorage>(), services.GetRequiredService<IngestService>());
    }

    public EventDelivery Delivery { get; }

    /// <summary>The ingest itself, for what SubmitJob does (explicit parameters, a callback URL).</summary>
    public IngestService Service => _services.GetRequiredService<IngestService>();

    /// <param name="bundleId">The id of the bundle the workers run (job ids name it); null: the ingest's default, the shipped bundle's.</param>
    public static LocalIngest Start(EchoStorageOptions storage, string? bundleId = null)
    {
        ArgumentNullException.ThrowIfNull(storage);
        var settings = new Dictionary<string, string?>
        {
            ["EchoStorage"] = storage.ConnectionString,
            ["EchoStorage:BlobServiceUri"] = storage.BlobServiceUri?.AbsoluteUri,
            ["EchoStorage:QueueServiceUri"] = storage.QueueServiceUri?.AbsoluteUri,
            ["EchoStorage:ClientId"] = storage.ClientId,
        };
        if (bundleId is not null)
        {
            settings["Ingest:BundleId"] = bundleId;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging().AddEchoIngest(configuration).BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        try
        {
            _ = services.GetRequiredService<IOptions<IngestOptions>>().Value;
            return new LocalIngest(services);
        }
        catch (OptionsValidationException e)
        {
            services.Dispose();
            throw new LocalPipelineException($"the ingest settings are not valid: {e.Message}", ExitCodes.UsageError);
        }
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
