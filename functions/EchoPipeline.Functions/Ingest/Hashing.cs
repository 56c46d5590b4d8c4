using System.Security.Cryptography;

namespace EchoPipeline.Functions.Ingest;

internal static class Hashing
{
    /// <summary>Copies <paramref name="source"/> to <paramref name="destination"/> and returns the SHA-256 of the bytes (lower-case hex).</summary>
    public static async Task<string> CopyWithSha256Async(Stream source, Stream destination, CancellationToken cancellationToken)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            sha.AppendData(buffer, 0, read);
            await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}
