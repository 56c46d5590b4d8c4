using System.ComponentModel.DataAnnotations;

namespace EchoPipeline.Jobs.Storage;

/// <summary>
/// The storage connection named <c>EchoStorage</c>, read the way Functions reads binding connections: either the
/// setting <c>EchoStorage</c> holds a connection string (Azurite, keys, SAS), or <c>EchoStorage__blobServiceUri</c>,
/// <c>EchoStorage__queueServiceUri</c> and optionally <c>EchoStorage__clientId</c> (a user-assigned managed identity)
/// name the endpoints for identity-based access. The retry settings configure the SDK's own retry policy: there is
/// no second retry layer on top of it.
/// </summary>
public sealed class EchoStorageOptions : IValidatableObject
{
    public const string SectionName = "EchoStorage";

    public string? ConnectionString { get; set; }

    public Uri? BlobServiceUri { get; set; }

    public Uri? QueueServiceUri { get; set; }

    /// <summary>Client id of the user-assigned managed identity; absent means the default credential chain.</summary>
    public string? ClientId { get; set; }

    /// <summary>Create the containers and queues on first use (Azurite starts empty; infra creates them in Azure).</summary>
    public bool CreateIfMissing { get; set; } = true;

    /// <summary>Retries of one storage request after a transient failure (5xx, 408, 429, network errors).</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 5;

    /// <summary>First backoff delay; the SDK doubles it per attempt (with jitter) up to <see cref="MaxRetryDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(0.8);

    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Timeout of one HTTP attempt (a stalled connection is abandoned and retried).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromSeconds(100);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield break;
        }

        if (BlobServiceUri is null || QueueServiceUri is null)
        {
            yield return new ValidationResult(
                "Storage is not configured: set EchoStorage to a connection string, or EchoStorage__blobServiceUri and EchoStorage__queueServiceUri (with EchoStorage__clientId for a user-assigned managed identity).",
                [nameof(ConnectionString), nameof(BlobServiceUri), nameof(QueueServiceUri)]);
            yield break;
        }

        foreach (var (name, uri) in new[] { (nameof(BlobServiceUri), BlobServiceUri), (nameof(QueueServiceUri), QueueServiceUri) })
        {
            // Bearer tokens travel only over HTTPS; the SDK would refuse later, with less context.
            if (!uri.IsAbsoluteUri || uri.Scheme != Uri.UriSchemeHttps)
            {
                yield return new ValidationResult($"EchoStorage__{char.ToLowerInvariant(name[0])}{name[1..]} must be an absolute https URI (it is '{uri}').", [name]);
            }
        }
    }
}
