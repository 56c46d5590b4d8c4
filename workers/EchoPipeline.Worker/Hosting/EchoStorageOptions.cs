namespace EchoPipeline.Worker.Hosting;

/// <summary>
/// The storage connection <c>EchoStorage</c>, read as the Functions app reads it: a connection string in
/// <c>EchoStorage</c>, or <c>EchoStorage__blobServiceUri</c> + <c>EchoStorage__queueServiceUri</c> (+ <c>EchoStorage__clientId</c>
/// for a user-assigned managed identity) for identity-based access.
/// </summary>
public sealed class EchoStorageOptions
{
    public const string SectionName = "EchoStorage";

    public string? ConnectionString { get; set; }

    public Uri? BlobServiceUri { get; set; }

    public Uri? QueueServiceUri { get; set; }

    public string? ClientId { get; set; }

    /// <summary>Create the containers and queues at start (Azurite starts empty; infra creates them in Azure).</summary>
    public bool CreateIfMissing { get; set; } = true;
}
