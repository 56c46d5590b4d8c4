using EchoPipeline.Jobs;

namespace EchoPipeline.Functions.Verification;

/// <summary>
/// A blob VerifyAudio may read: a container of the data account that holds media (<see cref="Containers"/>) and a name
/// in it. Given as <c>container</c> + <c>name</c>, as a path <c>container/name</c>, or as a URL on the data account's
/// own blob endpoint; anything else (another account, a SAS query, the jobs or webhooks containers) is refused.
/// </summary>
public sealed record BlobReference(string Container, string Name)
{
    /// <summary>Where generated audio, scored videos and uploads live; records and the webhook outbox are not media.</summary>
    public static IReadOnlyList<string> Containers { get; } = [StorageNames.AudioContainer, StorageNames.ScoredContainer, StorageNames.VideosContainer];

    private const int MaxNameLength = 1024;

    public override string ToString() => $"{Container}/{Name}";

    /// <summary>The reference, or null and why not (<paramref name="error"/> is a stable code, <paramref name="message"/> for people).</summary>
    public static BlobReference? Parse(string? container, string? name, string? blob, Uri accountEndpoint, out string error, out string message)
    {
        ArgumentNullException.ThrowIfNull(accountEndpoint);
        (error, message) = ("", "");
        if (blob is not null && (container is not null || name is not null))
        {
            (error, message) = ("invalid_request", "Give either 'blob' or 'container' and 'name', not both.");
            return null;
        }

        if (blob is null)
        {
            return Check(container, name, out error, out message);
        }

        if (!Uri.TryCreate(blob, UriKind.Absolute, out var url) || url.IsFile)
        {
            var slash = blob.IndexOf('/', StringComparison.Ordinal);
            return slash <= 0
                ? Refuse("invalid_request", $"'blob' must be 'container/name' or a URL of this storage account's blob endpoint.", out error, out message)
                : Check(blob[..slash], blob[(slash + 1)..], out error, out message);
        }

        var root = accountEndpoint.AbsolutePath.TrimEnd('/') + "/";
        if (!string.Equals(url.GetLeftPart(UriPartial.Authority), accountEndpoint.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase)
            || !url.AbsolutePath.StartsWith(root, StringComparison.Ordinal))
        {
            return Refuse("blob_outside_account", "Only blobs of this deployment's storage account can be verified; the URL names another endpoint.", out error, out message);
        }

        if (url.Query.Length > 0 || url.Fragment.Length > 0)
        {
            return Refuse("invalid_request", "Give the blob URL without a query or fragment; VerifyAudio reads with its own identity, never with a SAS.", out error, out message);
        }

        var path = url.AbsolutePath[root.Length..];
        var split = path.IndexOf('/', StringComparison.Ordinal);
        return split <= 0
            ? Refuse("invalid_request", "The URL names no blob (expected .../container/name).", out error, out message)
            : Check(Uri.UnescapeDataString(path[..split]), Uri.UnescapeDataString(path[(split + 1)..]), out error, out message);
    }

    private static BlobReference? Check(string? container, string? name, out string error, out string message)
    {
        if (string.IsNullOrEmpty(container) || string.IsNullOrEmpty(name))
        {
            return Refuse("invalid_request", "Give 'container' and 'name' (or 'blob').", out error, out message);
        }

        if (!Containers.Contains(container, StringComparer.Ordinal))
        {
            return Refuse("container_not_allowed",
                $"'{Shorten(container)}' is not a media container; VerifyAudio reads {string.Join(", ", Containers)}.", out error, out message);
        }

        if (name.Length > MaxNameLength || name.Any(char.IsControl))
        {
            return Refuse("invalid_request", $"'name' must be at most {MaxNameLength} characters without control characters.", out error, out message);
        }

        (error, message) = ("", "");
        return new BlobReference(container, name);
    }

    private static BlobReference? Refuse(string code, string text, out string error, out string message)
    {
        (error, message) = (code, text);
        return null;
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : string.Concat(text.AsSpan(0, 80), "…");
}
