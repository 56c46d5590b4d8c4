namespace EchoPipeline.Jobs.Storage;

/// <summary>
/// The storage connection named <c>EchoStorage</c>, read the way Functions reads binding connections: either the
/// setting <c>EchoStorage</c> holds a connection string (Azurite, keys), or <c>EchoStorage__blobServiceUri</c>,
/// <c>EchoStorage__queueServiceUri</c> and optionally <c>EchoStorage__clientId</c> (a user-assigned managed identity)
/// name the endpoints for identity-based access.
/// </summary>
public sealed class EchoStorageOptions
{
    public const string SectionName = "EchoStorage";

    public string? ConnectionString { get; set; }

    public Uri? BlobServiceUri { get; set; }

    public Uri? QueueServiceUri { get; set; }

    /// <summary>Client id of the user-assigned managed identity; absent means the default credential chain.</summary>
    public string? ClientId { get; set; }

    /// <summary>Create the containers and queues on first use (Azurite starts empty; infra creates them in Azure).</summary>
    public bool CreateIfMissing { get; set; } = true;
}
