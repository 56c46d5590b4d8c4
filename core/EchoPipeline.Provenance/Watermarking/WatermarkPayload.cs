using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace EchoPipeline.Provenance.Watermarking;

/// <summary>The 32 bits a mark carries, written as 8 lower-case hex digits.</summary>
public readonly record struct WatermarkPayload(uint Value)
{
    /// <summary>
    /// A job's payload: the job id's first 7 hex digits followed by the variation (0-15) as the 8th, so the payload read
    /// from a file names the job by prefix (`3f2a91c` + `0`).
    /// </summary>
    public static WatermarkPayload ForJob(string jobId, int variation)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        ArgumentOutOfRangeException.ThrowIfNegative(variation);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(variation, 15);
        if (jobId.Length < 7 || !uint.TryParse(jobId.AsSpan(0, 7), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var prefix))
        {
            throw new ArgumentException($"A job id starts with 7 hex digits, got '{jobId}'.", nameof(jobId));
        }

        return new WatermarkPayload((prefix << 4) | (uint)variation);
    }

    /// <summary>The first 32 bits of SHA-256 over the text (outputs that have no job: `echopipe score`).</summary>
    public static WatermarkPayload FromText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), hash);
        return new WatermarkPayload(BinaryPrimitives.ReadUInt32BigEndian(hash));
    }

    public static WatermarkPayload Parse(string text) =>
        text is { Length: 8 } && uint.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value)
            ? new WatermarkPayload(value)
            : throw new FormatException($"'{text}' is not a watermark payload (8 hex digits).");

    public override string ToString() => Value.ToString("x8", CultureInfo.InvariantCulture);
}
