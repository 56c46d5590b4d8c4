using Azure.Core;
using Azure.Identity;
using EchoPipeline.Storage;
using EchoPipeline.Storage.Queues;

namespace EchoPipeline.Jobs.Storage;

/// <summary>Builds the <see cref="StorageAccount"/> from <see cref="EchoStorageOptions"/>.</summary>
public static class EchoStorageAccount
{
    public static StorageAccount Create(EchoStorageOptions options, TimeProvider time)
    {
        // Functions' queue bindings read and write Base64 bodies; ingest and worker use the same setting.
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
