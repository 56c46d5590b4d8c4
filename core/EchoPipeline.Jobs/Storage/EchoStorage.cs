using Azure.Core;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EchoPipeline.Jobs.Storage;

/// <summary>
/// The pipeline's storage account: the SDK's blob and queue service clients, configured one way for every stage
/// (queue bodies in Base64 as the Functions queue bindings expect, the retry policy from <see cref="EchoStorageOptions"/>).
/// The hosts get it from DI (<see cref="EchoStorageServiceCollectionExtensions.AddEchoStorage"/>); the CLI and tests call
/// <see cref="Create"/>.
/// </summary>
public sealed class EchoStorage(BlobServiceClient blobs, QueueServiceClient queues)
{
    public BlobServiceClient Blobs { get; } = blobs;

    public QueueServiceClient Queues { get; } = queues;

    public BlobContainerClient Container(string name) => Blobs.GetBlobContainerClient(name);

    public QueueClient Queue(string name) => Queues.GetQueueClient(name);

    /// <summary>
    /// Clients for <paramref name="options"/>. <paramref name="credential"/> replaces the managed identity /
    /// default chain for endpoint-based access; <paramref name="configure"/> adjusts both clients' options (transport, policies);
    /// <paramref name="logger"/> hears about undecodable messages moved to a poison queue.
    /// </summary>
    /// <exception cref="ArgumentException">The options are not valid; the message says what to set.</exception>
    public static EchoStorage Create(EchoStorageOptions options, TokenCredential? credential = null, Action<ClientOptions>? configure = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new EchoStorageOptionsValidator().Validate(null, options);
        if (failures.Failed)
        {
            throw new ArgumentException(failures.FailureMessage, nameof(options));
        }

        var blobOptions = Configure(new BlobClientOptions(), options);
        var queueOptions = Configure(new QueueClientOptions(), options, logger ?? NullLogger.Instance);
        configure?.Invoke(blobOptions);
        configure?.Invoke(queueOptions);
        credential ??= options.ConnectionString is { Length: > 0 } ? null : Credential(options);
        return new EchoStorage(CreateBlobServiceClient(options, credential, blobOptions), CreateQueueServiceClient(options, credential, queueOptions));
    }

    /// <summary>The identity used with endpoints: the user-assigned managed identity when a client id is set, else the default chain.</summary>
    public static TokenCredential Credential(EchoStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.ClientId is { Length: > 0 } clientId
            ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new DefaultAzureCredential();
    }

    internal static BlobClientOptions Configure(BlobClientOptions clientOptions, EchoStorageOptions options) => ApplyRetry(clientOptions, options);

    internal static QueueClientOptions Configure(QueueClientOptions clientOptions, EchoStorageOptions options, ILogger logger)
    {
        // Functions' queue bindings read and write Base64 bodies; ingest and worker use the same setting.
        clientOptions.MessageEncoding = QueueMessageEncoding.Base64;
        UndecodableMessages.MoveToPoison(clientOptions, logger);
        return ApplyRetry(clientOptions, options);
    }

    private static T ApplyRetry<T>(T clientOptions, EchoStorageOptions options)
        where T : ClientOptions
    {
        clientOptions.Retry.Mode = RetryMode.Exponential;
        clientOptions.Retry.MaxRetries = options.MaxRetries;
        clientOptions.Retry.Delay = options.RetryDelay;
        clientOptions.Retry.MaxDelay = options.MaxRetryDelay;
        clientOptions.Retry.NetworkTimeout = options.NetworkTimeout;
        return clientOptions;
    }

    internal static BlobServiceClient CreateBlobServiceClient(EchoStorageOptions options, TokenCredential? credential, BlobClientOptions clientOptions) =>
        options.ConnectionString is { Length: > 0 } connectionString
            ? new BlobServiceClient(connectionString, clientOptions)
            : new BlobServiceClient(options.BlobServiceUri, credential, clientOptions);

    internal static QueueServiceClient CreateQueueServiceClient(EchoStorageOptions options, TokenCredential? credential, QueueClientOptions clientOptions) =>
        options.ConnectionString is { Length: > 0 } connectionString
            ? new QueueServiceClient(connectionString, clientOptions)
            : new QueueServiceClient(options.QueueServiceUri, credential, clientOptions);
}
