using System.Buffers.Binary;
using System.IO.Compression;

namespace EchoPipeline.Media;

/// <summary>Walks a PNG's chunks (lengths and types only; ImageSharp checks the rest when it decodes).</summary>
internal static class PngStructure
{
    private static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0d, 0x0a, 0x1a, 0x0a];

    /// <summary>
    /// True for a signature, an <c>IHDR</c> of at most 8 bits per sample, no animation control (<c>acTL</c>: an APNG)
    /// and an <c>IEND</c> that ends the file: anything after it is what ffprobe counts as a second picture.
    /// </summary>
    public static bool IsSinglePicture(ReadOnlySpan<byte> file)
    {
        if (!file.StartsWith(Signature))
        {
            return false;
        }

        var position = Signature.Length;
        var first = true;
        while (file.Length - position >= 12)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(file[position..]);
            var type = file.Slice(position + 4, 4);
            if (length > (uint)(file.Length - position - 12))
            {
                return false;
            }

            var data = file.Slice(position + 8, (int)length);
            if (first && (!type.SequenceEqual("IHDR"u8) || length != 13 || data[8] > 8))
            {
                return false;
            }

            if (type.SequenceEqual("acTL"u8))
            {
                return false;
            }

            position += 12 + (int)length;
            if (type.SequenceEqual("IEND"u8))
            {
                return position == file.Length;
            }

            first = false;
        }

        return false;
    }

    /// <summary>
    /// True when the <c>IDAT</c> chunks of a <see cref="IsSinglePicture"/> PNG inflate without error to exactly the
    /// bytes its header promises. FFmpeg fails a picture whose compressed pixels are damaged where ImageSharp 2.x
    /// decodes what it can, so such a file goes to FFmpeg. Call it only after the declared size passed the limits:
    /// it inflates (and throws away) every row.
    /// </summary>
    public static bool PixelsInflateCompletely(ReadOnlySpan<byte> file)
    {
        var header = file.Slice(Signature.Length + 8, 13);
        var (width, height) = (BinaryPrimitives.ReadUInt32BigEndian(header), BinaryPrimitives.ReadUInt32BigEndian(header[4..]));
        var (bitDepth, colourType, interlaced) = (header[8], header[9], header[12] == 1);
        var channels = colourType switch { 0 or 3 => 1, 2 => 3, 4 => 2, 6 => 4, _ => 0 };
        if (channels == 0 || width == 0 || height == 0)
        {
            return false;
        }

        var expected = interlaced
            ? Adam7.Sum(p => Filtered(Passes(width, p.X, p.XStep), Passes(height, p.Y, p.YStep), channels * bitDepth))
            : Filtered(width, height, channels * bitDepth);
        using var compressed = new MemoryStream();
        var position = Signature.Length;
        while (position < file.Length)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(file[position..]);
            if (file.Slice(position + 4, 4).SequenceEqual("IDAT"u8))
            {
                compressed.Write(file.Slice(position + 8, length));
            }

            position += 12 + length;
        }

        compressed.Position = 0;
        try
        {
            using var inflated = new ZLibStream(compressed, CompressionMode.Decompress);
            var buffer = new byte[64 * 1024];
            long total = 0;
            int read;
            while ((read = inflated.Read(buffer)) > 0 && total <= expected)
            {
                total += read;
            }

            return total == expected;
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }

    /// <summary>The seven passes of Adam7 interlacing: first column and row, and the steps between them.</summary>
    private static readonly (uint X, uint Y, uint XStep, uint YStep)[] Adam7 =
        [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)];

    private static uint Passes(uint size, uint start, uint step) => size > start ? (size - start + step - 1) / step : 0;

    /// <summary>Bytes of filtered scanlines: a filter-type byte and the packed samples of each row (none for an empty pass).</summary>
    private static long Filtered(uint width, uint height, int bitsPerPixel) =>
        width == 0 || height == 0 ? 0 : height * (1 + ((((long)width * bitsPerPixel) + 7) / 8));
}
