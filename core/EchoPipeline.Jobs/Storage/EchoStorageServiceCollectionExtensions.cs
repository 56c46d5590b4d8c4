using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using EchoPipeline.Jobs.Batches;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EchoPipeline.Jobs.Storage;

public static class EchoStorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers the storage clients the Azure way (<c>AddAzureClients</c>: a connection string, or the endpoints with
    /// managed identity), the options validated at start-up, the job store, claim-check queue and provisioner, and the batch store with its completion check.
    /// </summary>
    public static IServiceCollection AddEchoStorage(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<EchoStorageOptions>()
            .Configure(o =>
            {
                var section = configuration.GetSection(EchoStorageOptions.SectionName);
                section.Bind(o);
                o.ConnectionString ??= section.Value;
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<EchoStorageOptions>, EchoStorageOptionsValidator>();

        services.AddAzureClients(clients =>
        {
            clients.UseCredential(sp => EchoStorage.Credential(Options(sp)));
            clients.AddClient<BlobServiceClient, BlobClientOptions>((clientOptions, credential, sp) =>
                EchoStorage.CreateBlobServiceClient(Options(sp), credential, EchoStorage.Configure(clientOptions, Options(sp))));
            clients.AddClient<QueueServiceClient, QueueClientOptions>((clientOptions, credential, sp) =>
                EchoStorage.CreateQueueServiceClient(Options(sp), credential, EchoStorage.Configure(clientOptions, Options(sp), StorageLogger(sp))));
        });

        services.AddSingleton<EchoStorage>();
        services.AddSingleton<StorageProvisioner>();
        services.AddSingleton<JobStore>();
        services.AddSingleton<JobQueueClient>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<BatchStore>();
        services.AddSingleton<BatchCompletion>();
        return services;
    }

    private static ILogger StorageLogger(IServiceProvider services) =>
        services.GetService<ILoggerFactory>()?.CreateLogger(typeof(EchoStorage).FullName!) ?? NullLogger.Instance;

    private static EchoStorageOptions Options(IServiceProvider services) => services.GetRequiredService<IOptions<EchoStorageOptions>>().Value;
}
