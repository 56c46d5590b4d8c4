using Azure;
using Azure.Core;
using EchoPipeline.Storage.Authentication;
using EchoPipeline.Storage.Blobs;
using EchoPipeline.Storage.Connection;
using EchoPipeline.Storage.Pipeline;
using EchoPipeline.Storage.Queues;

namespace EchoPipeline.Storage;

/// <summary>
/// Entry point to one storage account: holds the authenticated pipeline and hands out container and queue clients.
/// Credentials: a connection string (account key or SAS), an <see cref="AzureNamedKeyCredential"/>, an
/// <see cref="AzureSasCredential"/>, or a <see cref="TokenCredential"/> (managed identity; scope https://storage.azure.com/.default).
/// </summary>
public sealed class StorageAccount
{
    private readonly StoragePipeline _pipeline;

    public StorageAccount(string connectionString, StorageClientOptions? options = null)
        : this(StorageConnectionString.Parse(connectionString), options)
    {
    }

    public StorageAccount(Uri? blobEndpoint, Uri? queueEndpoint, TokenCredential credential, StorageClientOptions? options = null)
        : this(blobEndpoint, queueEndpoint, StorageAuthentication.Token(credential ?? throw new ArgumentNullException(nameof(credential))), options)
    {
    }

    public StorageAccount(Uri? blobEndpoint, Uri? queueEndpoint, AzureSasCredential credential, StorageClientOptions? options = null)
        : this(blobEndpoint, queueEndpoint, StorageAuthentication.Sas(credential ?? throw new ArgumentNullException(nameof(credential))), options)
    {
    }

    public StorageAccount(Uri? blobEndpoint, Uri? queueEndpoint, AzureNamedKeyCredential credential, StorageClientOptions? options = null)
        : this(blobEndpoint, queueEndpoint, StorageAuthentication.SharedKey(credential ?? throw new ArgumentNullException(nameof(credential))), options)
    {
    }

    private StorageAccount(StorageConnectionString connection, StorageClientOptions? options)
        : this(
            connection.BlobEndpoint,
            connection.QueueEndpoint,
            connection.SharedKey is { } key ? StorageAuthentication.SharedKey(key) : StorageAuthentication.Sas(new AzureSasCredential(connection.SharedAccessSignature!)),
            options)
    {
    }

    private StorageAccount(Uri? blobEndpoint, Uri? queueEndpoint, StorageAuthentication authentication, StorageClientOptions? options)
    {
        if (blobEndpoint is null && queueEndpoint is null)
        {
            throw new ArgumentException("At least one of the blob and queue endpoints is needed.", nameof(blobEndpoint));
        }

        BlobEndpoint = blobEndpoint;
        QueueEndpoint = queueEndpoint;
        _pipeline = new StoragePipeline(options ?? new StorageClientOptions(), authentication);
    }

    public Uri? BlobEndpoint { get; }

    public Uri? QueueEndpoint { get; }

    public BlobContainerClient GetBlobContainerClient(string containerName) =>
        new(BlobEndpoint ?? throw new InvalidOperationException("This storage account was configured without a blob endpoint."), containerName, _pipeline);

    public QueueClient GetQueueClient(string queueName) =>
        new(QueueEndpoint ?? throw new InvalidOperationException("This storage account was configured without a queue endpoint."), queueName, _pipeline);
}
