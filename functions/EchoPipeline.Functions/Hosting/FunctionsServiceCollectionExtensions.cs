using Azure.Core;
using Azure.Identity;
using EchoPipeline.Functions.CustomHandler;
using EchoPipeline.Functions.Functions;
using EchoPipeline.Functions.Ingest;
using EchoPipeline.Jobs.Storage;
using EchoPipeline.Media;
using EchoPipeline.Storage;
using EchoPipeline.Storage.Queues;
using Microsoft.Extensions.Options;

namespace EchoPipeline.Functions.Hosting;

/// <summary>Registration of the handler: configuration, storage, media, ingest and the functions.</summary>
public static class FunctionsServiceCollectionExtensions
{
    /// <summary>The port the Functions host tells the handler to listen on (learn.microsoft.com, "Azure Functions custom handlers").</summary>
    public const string PortVariable = "FUNCTIONS_CUSTOMHANDLER_PORT";

    public static WebApplicationBuilder AddEchoFunctions(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (builder.Configuration[PortVariable] is { Length: > 0 } port)
        {
            // Only the local host process calls the handler.
            builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        }

        builder.Services.AddEchoFunctions(builder.Configuration);
        return builder;
    }

    public static IServiceCollection AddEchoFunctions(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddSingleton(TimeProvider.System);
        services.AddOptions<IngestOptions>().Bind(configuration.GetSection(IngestOptions.SectionName));
        services.AddOptions<MediaOptions>().Bind(configuration.GetSection("Media"));
        services.AddEchoPipelineMedia();
        services.AddOptions<EchoStorageOptions>().Configure(o => BindStorage(configuration, o));

        services.AddSingleton(sp => CreateStorageAccount(sp.GetRequiredService<IOptions<EchoStorageOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<MediaOptions>>().Value);

        services.AddSingleton<JobStore>();
        services.AddSingleton<JobQueueClient>();
        services.AddSingleton<StorageProvisioner>();
        services.AddSingleton<IngestClock>();
        services.AddSingleton<FrameIngest>();
        services.AddSingleton<SourceDownloader>();
        services.AddSingleton<IngestService>();
        services.AddSingleton<BlobEventIngest>();

        services.AddSingleton<IFunction, OnVideoUploadedFunction>();
        services.AddSingleton<IFunction, OnVideoUploadedWebhookFunction>();
        services.AddSingleton<IFunction, SubmitJobFunction>();
        services.AddSingleton<IFunction, GetJobFunction>();
        services.AddSingleton<FunctionRegistry>();
        return services;
    }

    public static WebApplication MapEchoFunctions(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapCustomHandler();
        return app;
    }

    private static void BindStorage(IConfiguration configuration, EchoStorageOptions options)
    {
        var section = configuration.GetSection(EchoStorageOptions.SectionName);
        section.Bind(options);
        options.ConnectionString ??= section.Value;
    }

    private static StorageAccount CreateStorageAccount(EchoStorageOptions options, TimeProvider time)
    {
        // Functions' queue bindings read and write Base64 bodies; the worker's receiver uses the same setting.
        var clientOptions = new StorageClientOptions { MessageEncoding = QueueMessageEncoding.Base64, TimeProvider = time };
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return new StorageAccount(options.ConnectionString, clientOptions);
        }

        if (options.BlobServiceUri is null || options.QueueServiceUri is null)
        {
            throw new InvalidOperationException(
                "Storage is not configured: set EchoStorage to a connection string, or EchoStorage__blobServiceUri and EchoStorage__queueServiceUri (with EchoStorage__clientId for a user-assigned managed identity).");
        }

        TokenCredential credential = options.ClientId is { Length: > 0 } clientId
            ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new DefaultAzureCredential();
        return new StorageAccount(options.BlobServiceUri, options.QueueServiceUri, credential, clientOptions);
    }
}
