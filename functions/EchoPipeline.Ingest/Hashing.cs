using System.Security.Cryptography;

namespace EchoPipeline.Ingest;

internal static class Hashing
{
    /// <summary>
    /// Copies <paramref name="source"/> to <paramref name="destination"/>, returning the SHA-256 (lower-case hex) and
    /// length; stops with <paramref name="tooLarge"/>'s exception as soon as more than <paramref name="maxBytes"/> arrive.
    /// </summary>
    public static async Task<(string Sha256, long Length)> CopyAsync(Stream source, Stream destination, long maxBytes, Func<long, Exception> tooLarge, CancellationToken cancellationToken)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            total += read;
            if (total > maxBytes)
            {
                throw tooLarge(total);
            }

            sha.AppendData(buffer, 0, read);
            await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
        }

        return (Convert.ToHexStringLower(sha.GetHashAndReset()), total);
    }
}
