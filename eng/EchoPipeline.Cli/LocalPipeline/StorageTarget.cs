using System.CommandLine;
using EchoPipeline.Jobs.Storage;

namespace EchoPipeline.Cli.LocalPipeline;

/// <summary>
/// The storage account `upload`, `status` and `watch` talk to: a connection string (Azurite, account key, SAS), or a
/// blob endpoint reached with Microsoft Entra ID (DefaultAzureCredential: az login, environment, managed identity;
/// --client-id picks a user-assigned managed identity). Identity needs Storage Blob Data Contributor on the account.
/// </summary>
internal sealed class StorageTarget
{
    public const string ConnectionStringVariable = "ECHOPIPE_STORAGE";

    public Option<string?> ConnectionString { get; } = new("--connection-string")
    {
        Description = $"Storage connection string (default: ${ConnectionStringVariable}).",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable(ConnectionStringVariable),
    };

    public Option<string?> BlobEndpoint { get; } = new("--blob-endpoint") { Description = "e.g. https://ACCOUNT.blob.core.windows.net (Microsoft Entra ID sign-in)." };

    public Option<string?> ClientId { get; } = new("--client-id") { Description = "Client id of a user-assigned managed identity (with --blob-endpoint)." };

    public void AddTo(Command command)
    {
        command.Options.Add(ConnectionString);
        command.Options.Add(BlobEndpoint);
        command.Options.Add(ClientId);
    }

    /// <summary>The account, or a <see cref="LocalPipelineException"/> (usage) saying which option is missing.</summary>
    public EchoStorage Open(ParseResult parse)
    {
        try
        {
            return EchoStorage.Create(Options(parse));
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new LocalPipelineException(parse.GetValue(BlobEndpoint) is null ? $"the storage connection string is not valid: {e.Message}" : e.Message, ExitCodes.UsageError);
        }
    }

    /// <summary>The account's settings, as a host would read them from its EchoStorage connection.</summary>
    public EchoStorageOptions Options(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        if (parse.GetValue(ConnectionString) is { Length: > 0 } connectionString && parse.GetValue(BlobEndpoint) is null)
        {
            return new EchoStorageOptions { ConnectionString = connectionString };
        }

        if (EventTarget.AbsoluteUri(parse.GetValue(BlobEndpoint), "--blob-endpoint") is not { } endpoint)
        {
            throw new LocalPipelineException(
                $"say which storage account: --connection-string (or ${ConnectionStringVariable}), or --blob-endpoint https://ACCOUNT.blob.core.windows.net.", ExitCodes.UsageError);
        }

        return new EchoStorageOptions { BlobServiceUri = endpoint, QueueServiceUri = QueueEndpointOf(endpoint), ClientId = parse.GetValue(ClientId) };
    }

    // The queue endpoint (for --ingest) follows Azure's naming (ACCOUNT.queue.core...).
    private static Uri QueueEndpointOf(Uri blobEndpoint) =>
        new UriBuilder(blobEndpoint) { Host = blobEndpoint.Host.Replace(".blob.", ".queue.", StringComparison.OrdinalIgnoreCase) }.Uri;
}
