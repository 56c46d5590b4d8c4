using System.Buffers.Binary;

namespace EchoPipeline.Media;

/// <summary>Walks a JPEG's marker segments and entropy-coded data up to its end-of-image marker.</summary>
internal static class JpegStructure
{
    private const byte StartOfImage = 0xD8;
    private const byte EndOfImage = 0xD9;
    private const byte StartOfScan = 0xDA;

    /// <summary>
    /// True for one baseline, extended or progressive Huffman-coded 8-bit JPEG (SOF0, SOF1, SOF2) whose end-of-image
    /// marker is the file's last two bytes. Other frame types (lossless, hierarchical, arithmetic-coded, 12-bit) and
    /// anything after the end (a second picture, a camera's appended previews) are left to FFmpeg.
    /// </summary>
    public static bool IsSinglePicture(ReadOnlySpan<byte> file)
    {
        if (file.Length < 4 || file[0] != 0xFF || file[1] != StartOfImage)
        {
            return false;
        }

        var (position, frames, scans) = (2, 0, 0);
        while (position + 1 < file.Length)
        {
            if (file[position] != 0xFF)
            {
                return false;
            }

            var marker = file[position + 1];
            if (marker == 0xFF)
            {
                position++; // fill byte before a marker
                continue;
            }

            if (marker == EndOfImage)
            {
                return position + 2 == file.Length && frames == 1 && scans > 0;
            }

            // A second start of image, restart markers or TEM outside entropy-coded data, or a truncated length.
            if (marker is StartOfImage or 0x01 or (>= 0xD0 and <= 0xD7) || position + 4 > file.Length)
            {
                return false;
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(file[(position + 2)..]);
            if (length < 2 || position + 2 + length > file.Length)
            {
                return false;
            }

            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                // A frame header: only SOF0-2 with 8-bit samples, and only one.
                if (marker > 0xC2 || length < 3 || file[position + 4] != 8 || ++frames > 1)
                {
                    return false;
                }
            }

            position += 2 + length;
            if (marker == StartOfScan)
            {
                if (frames == 0)
                {
                    return false;
                }

                scans++;
                position = EndOfEntropyCodedData(file, position);
            }
        }

        return false;
    }

    /// <summary>The position of the first marker after a scan's data: 0xFF followed by anything but a stuffed zero or a restart marker.</summary>
    private static int EndOfEntropyCodedData(ReadOnlySpan<byte> file, int position)
    {
        while (true)
        {
            var next = file[position..].IndexOf((byte)0xFF);
            if (next < 0 || position + next + 1 >= file.Length)
            {
                return file.Length;
            }

            position += next;
            var following = file[position + 1];
            if (following is not (0x00 or (>= 0xD0 and <= 0xD7)))
            {
                return position;
            }

            position += 2;
        }
    }
}
