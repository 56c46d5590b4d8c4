using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;

namespace EchoPipeline.Media.Tests.Probing;

/// <summary>
/// Uploads that would make FFmpeg read something other than the upload (playlists, scripts, network descriptions),
/// many pictures, or allocate gigabytes, are refused by the probe with a stable code, quickly, writing nothing.
/// </summary>
public sealed class HostileFileTests(MediaSamples samples) : IClassFixture<MediaSamples>
{
    private static readonly TimeSpan Quickly = TimeSpan.FromSeconds(5);
    private readonly MediaTools _tools = MediaSamples.Tools();

    public static TheoryData<string, string, string> Files => new()
    {
        { "playlist.mp4", "unsupported_format", "HLS playlist" },
        { "manifest.mp4", "unsupported_format", "DASH manifest" },
        { "list.mp4", "unsupported_format", "ffconcat script" },
        { "camera.mp4", "unsupported_format", "SDP/RTP stream description" },
        { "burst.png", "unsupported_format", "image sequence" },
        { "notes.txt", "not_media", "not a video or image" },
        { "art.ans", "not_media", "not a video or image" },
        { "bomb-100000.png", "too_many_pixels", "100000x100000" },
        { "bomb-40000.png", "too_many_pixels", "40000x40000" },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public async Task A_hostile_upload_is_refused_quickly_with_its_code_and_nothing_is_written(string name, string code, string words)
    {
        var path = Write(name);
        using var workspace = _tools.CreateWorkspace();
        var clock = Stopwatch.StartNew();

        var ex = await Assert.ThrowsAsync<MediaException>(async () => await new MediaProbe(_tools).ProbeAsync(await workspace.CopyInAsync(path)));

        Assert.True(clock.Elapsed < Quickly, $"took {clock.Elapsed}");
        Assert.Equal(code, ex.ErrorCode);
        Assert.Contains(words, ex.Message, StringComparison.Ordinal);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
        Assert.Equal(["input-1"], Directory.GetFiles(workspace.Directory).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_sequence_pattern_in_a_name_is_only_that_one_file()
    {
        foreach (var n in (int[])[1, 2, 3])
        {
            samples.Make($"shot{n:D3}.png", "-f", "lavfi", "-i", MediaSamples.Color("red", 32, 32), "-frames:v", "1");
        }

        using var workspace = _tools.CreateWorkspace();

        var ex = await Assert.ThrowsAsync<MediaException>(() => workspace.CopyInAsync(samples.PathOf("shot%03d.png")));

        Assert.Equal("not_found", ex.ErrorCode);
    }

    private string Write(string name)
    {
        var path = samples.PathOf(name);
        var clip = samples.Make("real.mp4", "-f", "lavfi", "-i", MediaSamples.Color("blue", 64, 48, 1), "-c:v", "libx264", "-preset", "ultrafast");
        switch (name)
        {
            case "playlist.mp4":
                File.WriteAllText(path, $"#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\n{clip}\n#EXTINF:10,\nfile:///etc/passwd\n#EXT-X-ENDLIST\n");
                break;
            case "manifest.mp4":
                File.WriteAllText(path, """
                    <?xml version="1.0" encoding="UTF-8"?>
                    <MPD xmlns="urn:mpeg:dash:schema:mpd:2011" profiles="urn:mpeg:dash:profile:isoff-on-demand:2011" type="static"
                      mediaPresentationDuration="PT2S" minBufferTime="PT1S">
                      <Period><AdaptationSet mimeType="video/mp4"><Representation id="1" bandwidth="1000" width="64" height="48">
                        <BaseURL>file:///etc/passwd</BaseURL><SegmentBase indexRange="0-100"/>
                      </Representation></AdaptationSet></Period>
                    </MPD>
                    """);
                break;
            case "list.mp4":
                File.WriteAllText(path, $"ffconcat version 1.0\nfile '{clip}'\nfile '/etc/passwd'\n");
                break;
            case "camera.mp4":
                File.WriteAllText(path, "v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=camera\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=video 5004 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n");
                break;
            case "burst.png":
                // Three PNGs back to back, as `ffmpeg -f image2pipe` writes them.
                File.WriteAllBytes(path, MediaSamples.Ffmpeg(["-f", "lavfi", "-i", "testsrc2=s=64x48:r=10:d=0.3", "-c:v", "png", "-f", "image2pipe", "pipe:1"]));
                break;
            case "notes.txt":
                File.WriteAllText(path, "Meeting notes\n- not a video\n");
                break;
            case "art.ans":
                // ANSI art: FFmpeg's tty demuxer would show it as video, but it picks files by extension and staged names have none.
                File.WriteAllText(path, "\u001b[0;31mHello \u001b[1;32mANSI\u001b[0m art\r\n\u001b[5;33m blink \u001b[0m\r\n");
                break;
            case "bomb-100000.png":
                File.WriteAllBytes(path, PngDeclaring(100000, 100000));
                break;
            case "bomb-40000.png":
                File.WriteAllBytes(path, PngDeclaring(40000, 40000));
                break;
        }

        return path;
    }

    /// <summary>A few kilobytes of PNG whose header declares <paramref name="width"/> x <paramref name="height"/> RGB pixels.</summary>
    private static byte[] PngDeclaring(int width, int height)
    {
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        (header[8], header[9]) = (8, 2); // 8-bit RGB
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            // Sixteen rows of zeros; the rest of the picture is missing, as in a real bomb it would be highly compressible.
            zlib.Write(new byte[16 * (1 + (3 * width))]);
        }

        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0d, 0x0a, 0x1a, 0x0a]);
        Chunk(png, "IHDR"u8, header);
        Chunk(png, "IDAT"u8, compressed.ToArray());
        Chunk(png, "IEND"u8, []);
        return png.ToArray();
    }

    private static void Chunk(Stream png, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(number, data.Length);
        png.Write(number);
        png.Write(type);
        png.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(number, Crc32([.. type, .. data]));
        png.Write(number);
    }

    /// <summary>The CRC-32 PNG chunks end with (reflected polynomial 0xEDB88320), bit by bit.</summary>
    private static uint Crc32(ReadOnlySpan<byte> bytes)
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
