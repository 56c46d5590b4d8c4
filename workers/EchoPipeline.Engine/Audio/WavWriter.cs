using System.Buffers.Binary;
using System.Text;

namespace EchoPipeline.Engine.Audio;

/// <summary>
/// Writes 16-bit PCM mono WAV: RIFF/WAVE with "fmt ", an optional LIST/INFO chunk of text tags (ICMT, ISFT, INAM,
/// ...; UTF-8, NUL-terminated, padded to even length), then "data". Samples are clamped to [-1, 1] and scaled by
/// 32767 with rounding half away from zero, so the scale is symmetric and <see cref="WavReader"/> inverts it within
/// half a step. Output depends only on the arguments (no timestamps), so equal inputs give equal bytes.
/// </summary>
public static class WavWriter
{
    internal const float Scale = 32767f;
    private const int HeaderBytes = 44;

    public static void Write(
        Stream stream, ReadOnlySpan<float> samples, int sampleRate, IReadOnlyList<KeyValuePair<string, string>>? info = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        stream.Write(Encode(samples, sampleRate, info));
    }

    public static byte[] Encode(ReadOnlySpan<float> samples, int sampleRate, IReadOnlyList<KeyValuePair<string, string>>? info = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        var list = EncodeInfo(info ?? []);
        var dataBytes = (long)samples.Length * 2;
        var total = HeaderBytes + list.Length + dataBytes;
        if (total > int.MaxValue)
        {
            throw new ArgumentException($"{samples.Length} samples do not fit in one WAV file.", nameof(samples));
        }

        var bytes = new byte[total];
        var span = bytes.AsSpan();
        WriteChunkHeader(span, "RIFF", (int)total - 8);
        Encoding.ASCII.GetBytes("WAVE", span[8..]);
        WriteChunkHeader(span[12..], "fmt ", 16);
        BinaryPrimitives.WriteInt16LittleEndian(span[20..], 1); // PCM
        BinaryPrimitives.WriteInt16LittleEndian(span[22..], 1); // mono
        BinaryPrimitives.WriteInt32LittleEndian(span[24..], sampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(span[28..], sampleRate * 2); // byte rate
        BinaryPrimitives.WriteInt16LittleEndian(span[32..], 2); // block align
        BinaryPrimitives.WriteInt16LittleEndian(span[34..], 16); // bits per sample
        list.CopyTo(span[36..]);
        var data = span[(36 + list.Length)..];
        WriteChunkHeader(data, "data", (int)dataBytes);
        for (var n = 0; n < samples.Length; n++)
        {
            var x = samples[n];
            if (float.IsNaN(x))
            {
                throw new ArgumentException($"Sample {n} is NaN.", nameof(samples));
            }

            var pcm = (short)MathF.Round(Math.Clamp(x, -1f, 1f) * Scale, MidpointRounding.AwayFromZero);
            BinaryPrimitives.WriteInt16LittleEndian(data[(8 + (2 * n))..], pcm);
        }

        return bytes;
    }

    private static byte[] EncodeInfo(IReadOnlyList<KeyValuePair<string, string>> info)
    {
        if (info.Count == 0)
        {
            return [];
        }

        using var body = new MemoryStream();
        body.Write("INFO"u8);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        Span<byte> header = stackalloc byte[8];
        foreach (var (id, value) in info)
        {
            RiffIds.Validate(id, "INFO");
            ArgumentNullException.ThrowIfNull(value);
            if (!seen.Add(id))
            {
                throw new ArgumentException($"INFO id '{id}' appears more than once.", nameof(info));
            }

            if (value.Contains('\0', StringComparison.Ordinal))
            {
                throw new ArgumentException($"INFO '{id}' value contains a NUL character.", nameof(info));
            }

            var text = Encoding.UTF8.GetBytes(value + "\0");
            WriteChunkHeader(header, id, text.Length);
            body.Write(header);
            body.Write(text);
            if (text.Length % 2 == 1)
            {
                body.WriteByte(0);
            }
        }

        var list = new byte[8 + body.Length];
        WriteChunkHeader(list, "LIST", (int)body.Length);
        body.ToArray().CopyTo(list, 8);
        return list;
    }

    private static void WriteChunkHeader(Span<byte> destination, string id, int size)
    {
        Encoding.ASCII.GetBytes(id, destination);
        BinaryPrimitives.WriteInt32LittleEndian(destination[4..], size);
    }
}
