namespace EchoPipeline.Jobs;

/// <summary>What makes an input unique: a blob version (container/name + ETag) or the content hash of a download.</summary>
public readonly record struct SourceIdentity
{
    private SourceIdentity(string canonical) => Canonical = canonical;

    /// <summary>The string hashed into the job id.</summary>
    public string Canonical { get; }

    /// <summary>A blob version; the ETag changes whenever the blob is overwritten.</summary>
    public static SourceIdentity ForBlob(string container, string blobName, string eTag)
    {
        ArgumentException.ThrowIfNullOrEmpty(container);
        ArgumentException.ThrowIfNullOrEmpty(blobName);
        ArgumentException.ThrowIfNullOrEmpty(eTag);
        return new($"blob:{container}/{blobName}@{eTag.Trim('"')}");
    }

    /// <summary>Downloaded bytes, named by their SHA-256 (lower-case hex).</summary>
    public static SourceIdentity ForContent(string sha256Hex)
    {
        if (sha256Hex.Length != 64 || !sha256Hex.All(char.IsAsciiHexDigitLower))
        {
            throw new ArgumentException("Expected 64 lower-case hex digits.", nameof(sha256Hex));
        }

        return new($"sha256:{sha256Hex}");
    }

    public override string ToString() => Canonical;
}
