using System.Buffers.Binary;
using System.Text;

namespace EchoPipeline.Engine.Audio;

/// <summary>
/// Reads 16-bit PCM mono WAV as <see cref="WavWriter"/> writes it (and as other tools do): walks the RIFF chunks,
/// honouring pad bytes, skipping unknown ones, collecting LIST/INFO tags. Samples are pcm / 32767, clamped to -1.
/// Anything else (other encodings, channel counts, truncation) is an <see cref="InvalidDataException"/> naming it.
/// </summary>
public static class WavReader
{
    public static WavAudio Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return Decode(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }

    public static WavAudio Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 12 || !bytes[..4].SequenceEqual("RIFF"u8) || !bytes[8..12].SequenceEqual("WAVE"u8))
        {
            throw new InvalidDataException("Not a WAV file: expected 'RIFF' and 'WAVE' in the first 12 bytes.");
        }

        var riffEnd = 8L + BinaryPrimitives.ReadUInt32LittleEndian(bytes[4..]);
        if (riffEnd > bytes.Length)
        {
            throw new InvalidDataException($"WAV truncated: RIFF header claims {riffEnd} bytes, file has {bytes.Length}.");
        }

        int? sampleRate = null;
        float[]? samples = null;
        var info = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (id, body) in Chunks(bytes[12..(int)riffEnd], 12))
        {
            switch (id)
            {
                case "fmt ":
                    sampleRate = ReadFormat(bytes.Slice(body.Offset, body.Length));
                    break;
                case "data":
                    samples = ReadPcm16(bytes.Slice(body.Offset, body.Length));
                    break;
                case "LIST" when body.Length >= 4 && bytes.Slice(body.Offset, 4).SequenceEqual("INFO"u8):
                    ReadInfo(bytes.Slice(body.Offset + 4, body.Length - 4), body.Offset + 4, info);
                    break;
            }
        }

        if (sampleRate is null || samples is null)
        {
            throw new InvalidDataException($"WAV has no {(sampleRate is null ? "'fmt '" : "'data'")} chunk.");
        }

        return new WavAudio(samples, sampleRate.Value, info);
    }

    private static int ReadFormat(ReadOnlySpan<byte> fmt)
    {
        if (fmt.Length < 16)
        {
            throw new InvalidDataException($"WAV 'fmt ' chunk is {fmt.Length} bytes; expected at least 16.");
        }

        var format = BinaryPrimitives.ReadUInt16LittleEndian(fmt);
        var channels = BinaryPrimitives.ReadUInt16LittleEndian(fmt[2..]);
        var rate = BinaryPrimitives.ReadInt32LittleEndian(fmt[4..]);
        var bits = BinaryPrimitives.ReadUInt16LittleEndian(fmt[14..]);
        if (format != 1 || channels != 1 || bits != 16 || rate <= 0)
        {
            throw new InvalidDataException(
                $"WAV format {format}, {channels} channel(s), {bits} bits at {rate} Hz; only PCM (1), mono, 16-bit is supported.");
        }

        return rate;
    }

    private static float[] ReadPcm16(ReadOnlySpan<byte> data)
    {
        if (data.Length % 2 != 0)
        {
            throw new InvalidDataException($"WAV 'data' chunk has {data.Length} bytes, not a whole number of 16-bit samples.");
        }

        var samples = new float[data.Length / 2];
        for (var n = 0; n < samples.Length; n++)
        {
            samples[n] = Math.Max(-1f, BinaryPrimitives.ReadInt16LittleEndian(data[(2 * n)..]) / WavWriter.Scale);
        }

        return samples;
    }

    private static void ReadInfo(ReadOnlySpan<byte> list, int offset, Dictionary<string, string> info)
    {
        foreach (var (id, body) in Chunks(list, offset))
        {
            var text = list.Slice(body.Offset - offset, body.Length);
            var end = text.IndexOf((byte)0);
            info[id] = Encoding.UTF8.GetString(end < 0 ? text : text[..end]);
        }
    }

    /// <summary>Sub-chunks of a chunk body: id and (absolute offset, length) of each body; bodies are padded to even.</summary>
    private static List<(string Id, (int Offset, int Length) Body)> Chunks(ReadOnlySpan<byte> span, int offset)
    {
        var chunks = new List<(string, (int, int))>();
        var position = 0;
        while (position + 8 <= span.Length)
        {
            var id = Encoding.ASCII.GetString(span.Slice(position, 4));
            var size = BinaryPrimitives.ReadUInt32LittleEndian(span[(position + 4)..]);
            if (size > (uint)(span.Length - position - 8))
            {
                throw new InvalidDataException(
                    $"WAV chunk '{id}' at byte {offset + position} claims {size} bytes; only {span.Length - position - 8} remain.");
            }

            chunks.Add((id, (offset + position + 8, (int)size)));
            position += 8 + (int)size + (int)(size & 1);
        }

        return chunks;
    }
}
