using Azure.Core;
using Azure.Identity;
using EchoPipeline.Storage;
using EchoPipeline.Storage.Queues;

namespace EchoPipeline.Worker.Hosting;

/// <summary>Builds the <see cref="StorageAccount"/> from <see cref="EchoStorageOptions"/>.</summary>
internal static class StorageAccountFactory
{
    public static StorageAccount Create(EchoStorageOptions options, TimeProvider time)
    {
        // The ingest writes Base64 bodies, as Functions queue bindings do; read them the same way.
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
