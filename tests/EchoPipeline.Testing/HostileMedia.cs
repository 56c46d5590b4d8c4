using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace EchoPipeline.Testing;

/// <summary>
/// Uploads that are not the video or picture they claim to be: files that would make FFmpeg open other files or
/// streams, and pictures that would make a decoder allocate gigabytes. Written as bytes, without FFmpeg.
/// </summary>
public static class HostileMedia
{
    /// <summary>An HLS playlist (as uploaded under an .mp4 name) naming <paramref name="target"/> and the server's /etc/passwd.</summary>
    public static string HlsPlaylist(string target) =>
        $"#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\n{target}\n#EXTINF:10,\nfile:///etc/passwd\n#EXT-X-ENDLIST\n";

    /// <summary>A DASH manifest whose segment is a local file.</summary>
    public static string DashManifest() => """
        <?xml version="1.0" encoding="UTF-8"?>
        <MPD xmlns="urn:mpeg:dash:schema:mpd:2011" profiles="urn:mpeg:dash:profile:isoff-on-demand:2011" type="static"
          mediaPresentationDuration="PT2S" minBufferTime="PT1S">
          <Period><AdaptationSet mimeType="video/mp4"><Representation id="1" bandwidth="1000" width="64" height="48">
            <BaseURL>file:///etc/passwd</BaseURL><SegmentBase indexRange="0-100"/>
          </Representation></AdaptationSet></Period>
        </MPD>
        """;

    /// <summary>An ffconcat script joining <paramref name="target"/> and /etc/passwd.</summary>
    public static string FfconcatScript(string target) => $"ffconcat version 1.0\nfile '{target}'\nfile '/etc/passwd'\n";

    /// <summary>A session description that would have FFmpeg listen for RTP on a UDP port.</summary>
    public static string SdpDescription() =>
        "v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=camera\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=video 5004 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n";

    /// <summary>
    /// A decompression bomb: a few kilobytes of PNG whose header declares <paramref name="width"/> x <paramref name="height"/>
    /// 8-bit RGB pixels (40000 x 40000 would be 4.8 GB decoded).
    /// </summary>
    public static byte[] PngDeclaring(int width, int height)
    {
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        (header[8], header[9]) = (8, 2);
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            // Sixteen rows of zeros; the rest is missing, as a bomb's highly compressible rest would be.
            zlib.Write(new byte[16 * (1 + (3 * width))]);
        }

        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0d, 0x0a, 0x1a, 0x0a]);
        Chunk(png, "IHDR", header);
        Chunk(png, "IDAT", compressed.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        byte[] typed = [.. Encoding.ASCII.GetBytes(type), .. data];
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(number, data.Length);
        png.Write(number);
        png.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(number, Crc32(typed));
        png.Write(number);
    }

    /// <summary>The CRC-32 that ends each PNG chunk (reflected polynomial 0xEDB88320) over its type and data, bit by bit.</summary>
    public static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }
}
