using System.Buffers.Binary;
using System.Diagnostics;
using EchoPipeline.Testing;

namespace EchoPipeline.Media.Tests.Stills;

/// <summary>
/// Plain PNGs and JPEGs are read in process (ImageSharp) and give the frame the FFmpeg path gives, which stays the
/// independent reference here (<see cref="MediaOptions.DecodeStillsInProcess"/> off); the limits hold before a pixel
/// is decoded; everything else, hostile files included, gets FFmpeg's verdict and code as before.
/// </summary>
public sealed class InProcessStillsTests(MediaSamples samples) : IClassFixture<MediaSamples>, IDisposable
{
    private readonly MediaTools _inProcess = MediaSamples.Tools();
    private readonly MediaTools _ffmpegOnly = MediaSamples.Tools(o => o.DecodeStillsInProcess = false);
    private readonly List<MediaWorkspace> _workspaces = [];

    public void Dispose() => _workspaces.ForEach(w => w.Dispose());

    /// <summary>8-bit PNGs of every colour type FFmpeg writes, square, wide, tall and of odd sizes.</summary>
    [Theory]
    [InlineData(640, 360, "rgb24")]
    [InlineData(1920, 1080, "rgb24")]
    [InlineData(301, 256, "rgb24")]
    [InlineData(200, 300, "rgb24")]
    [InlineData(256, 256, "rgb24")]
    [InlineData(100, 80, "rgb24")]
    [InlineData(320, 240, "rgba")]
    [InlineData(320, 240, "gray")]
    [InlineData(320, 240, "pal8")]
    public async Task A_png_read_in_process_gives_exactly_the_frame_of_the_ffmpeg_path(int width, int height, string pixelFormat)
    {
        var path = samples.Make($"card-{width}x{height}-{pixelFormat}.png",
            "-f", "lavfi", "-i", $"testsrc2=s={width}x{height}", "-frames:v", "1", "-pix_fmt", pixelFormat);

        var (inProcess, ffmpeg) = (await ProbeAsync(_inProcess, path), await ProbeAsync(_ffmpegOnly, path));
        var frame = await new MiddleFrameExtractor(_inProcess).ExtractMiddleAsync(inProcess);
        var reference = await new MiddleFrameExtractor(_ffmpegOnly).ExtractMiddleAsync(ffmpeg);

        Assert.Equal((true, false), (inProcess.DecodedInProcess, ffmpeg.DecodedInProcess));
        Assert.Equal(Facts(ffmpeg), Facts(inProcess));
        Assert.Equal(reference.Rgb24.ToArray(), frame.Rgb24.ToArray());
        Assert.Equal(TimeSpan.Zero, frame.Timestamp);
    }

    [Theory]
    [InlineData("alone.png")]
    [InlineData("alone.jpg")]
    public async Task A_plain_png_or_jpeg_needs_no_ffprobe_or_ffmpeg(string name)
    {
        var path = samples.Make(name, "-f", "lavfi", "-i", "testsrc2=s=320x240", "-frames:v", "1");
        var tools = MediaSamples.Tools(o => (o.FfmpegPath, o.FfprobePath) = ("/nonexistent/ffmpeg", "/nonexistent/ffprobe"));

        var info = await ProbeAsync(tools, path);
        var frame = await new MiddleFrameExtractor(tools).ExtractMiddleAsync(info);

        Assert.True(info.DecodedInProcess);
        Assert.Equal(Frame.ByteLength, frame.Rgb24.Length);
    }

    /// <summary>
    /// JPEG decoders differ in their inverse DCT and chroma upsampling (FFmpeg converts YUV to RGB after its crop,
    /// ImageSharp before), so the frames agree within decoder noise, not bit for bit. The corner of the square is
    /// rounded to the chroma grid as FFmpeg's crop rounds it (301 wide: 45 -> 44 for 4:2:0 and 4:2:2).
    /// </summary>
    [Theory]
    [InlineData(640, 360, "yuvj420p")]
    [InlineData(301, 256, "yuvj420p")]
    [InlineData(256, 301, "yuvj420p")]
    [InlineData(1280, 720, "yuvj444p")]
    [InlineData(301, 256, "yuvj422p")]
    [InlineData(320, 240, "gray")]
    public async Task A_jpeg_read_in_process_matches_the_frame_of_the_ffmpeg_path_within_decoder_noise(int width, int height, string pixelFormat)
    {
        var path = samples.Make($"card-{width}x{height}-{pixelFormat}.jpg",
            "-f", "lavfi", "-i", $"testsrc2=s={width}x{height}", "-frames:v", "1", "-pix_fmt", pixelFormat, "-q:v", "2");

        var (inProcess, ffmpeg) = (await ProbeAsync(_inProcess, path), await ProbeAsync(_ffmpegOnly, path));
        var frame = await new MiddleFrameExtractor(_inProcess).ExtractMiddleAsync(inProcess);
        var reference = await new MiddleFrameExtractor(_ffmpegOnly).ExtractMiddleAsync(ffmpeg);

        Assert.Equal((true, false), (inProcess.DecodedInProcess, ffmpeg.DecodedInProcess));
        Assert.Equal(Facts(ffmpeg), Facts(inProcess));
        var differences = frame.Rgb24.ToArray().Zip(reference.Rgb24.ToArray(), (a, b) => Math.Abs(a - b)).Order().ToArray();
        var p99 = differences[(int)(differences.Length * 0.99)];
        Assert.True(differences.Average() < 1.5, $"mean difference {differences.Average():F3}");
        Assert.True(p99 <= 12, $"99th percentile {p99}");
    }

    /// <summary>
    /// FFmpeg turns a JPEG by its EXIF orientation (autorotate); such pictures stay on the FFmpeg path, so their
    /// frame is FFmpeg's: a picture red on the left and blue on the right, turned clockwise, is red on top.
    /// </summary>
    [Fact]
    public async Task A_jpeg_whose_exif_says_to_turn_it_is_turned_by_ffmpeg_as_before()
    {
        var plain = samples.Make("halves.jpg", "-f", "lavfi", "-i", $"{MediaSamples.Color("red", 32, 32)}[l];{MediaSamples.Color("blue", 32, 32)}[r];[l][r]hstack",
            "-frames:v", "1", "-q:v", "2");
        var path = samples.PathOf("halves-turned.jpg");
        File.WriteAllBytes(path, WithExifOrientation(File.ReadAllBytes(plain), 6));

        var info = await ProbeAsync(_inProcess, path);
        var frame = await new MiddleFrameExtractor(_inProcess).ExtractMiddleAsync(info);

        Assert.False(info.DecodedInProcess);
        Pixels.AssertNear((255, 0, 0), frame[128, 40], 24, "top");
        Pixels.AssertNear((0, 0, 255), frame[128, 216], 24, "bottom");
    }

    /// <summary>Videos, other still formats, animations and sequences are FFmpeg's, as before.</summary>
    [Theory]
    [InlineData("clip.mp4", "-f", "lavfi", "-i", "testsrc2=s=160x120:r=10:d=1", "-c:v", "libx264", "-preset", "ultrafast")]
    [InlineData("still.webp", "-f", "lavfi", "-i", "testsrc2=s=160x120", "-frames:v", "1")]
    [InlineData("still.bmp", "-f", "lavfi", "-i", "testsrc2=s=160x120", "-frames:v", "1")]
    [InlineData("deep.png", "-f", "lavfi", "-i", "testsrc2=s=160x120", "-frames:v", "1", "-pix_fmt", "rgb48be")]
    [InlineData("motion.mjpeg.avi", "-f", "lavfi", "-i", "testsrc2=s=160x120:r=10:d=1", "-c:v", "mjpeg")]
    public async Task Videos_and_other_pictures_still_go_through_ffmpeg(string name, params string[] arguments)
    {
        var path = samples.Make(name, arguments);

        var info = await ProbeAsync(_inProcess, path);
        var frame = await new MiddleFrameExtractor(_inProcess).ExtractMiddleAsync(info);

        Assert.False(info.DecodedInProcess);
        Assert.Equal(Facts(await ProbeAsync(_ffmpegOnly, path)), Facts(info));
        Assert.Equal(Frame.ByteLength, frame.Rgb24.Length);
    }

    [Theory]
    [InlineData("photo.png", "card.jpg", "mjpeg")]
    [InlineData("photo.jpg", "card.png", "png")]
    public async Task A_picture_under_another_formats_extension_is_read_as_what_it_is(string name, string madeAs, string codec)
    {
        var made = samples.Make(madeAs, "-f", "lavfi", "-i", "testsrc2=s=320x240", "-frames:v", "1");
        var path = samples.PathOf(name);
        File.Copy(made, path, overwrite: true);

        var info = await ProbeAsync(_inProcess, path);

        Assert.Equal((true, codec), (info.DecodedInProcess, info.Video.Codec));
    }

    /// <summary>
    /// Pictures that declare more pixels than allowed are refused from their header: with no ffmpeg or ffprobe to
    /// run, quickly, and without allocating their pixels (40000 x 40000 rgb24 would be 4.8 GB).
    /// </summary>
    [Theory]
    [InlineData("png", 40000, 40000, "too_many_pixels")]
    [InlineData("jpeg", 30000, 30000, "too_many_pixels")]
    [InlineData("png", 16000, 16, "bad_dimensions")]
    [InlineData("jpeg", 16000, 16, "bad_dimensions")]
    public async Task A_picture_over_a_limit_is_refused_before_it_is_decoded(string format, int width, int height, string code)
    {
        var path = samples.PathOf($"declares-{width}x{height}.{format}");
        File.WriteAllBytes(path, format == "png" ? HostileMedia.PngDeclaring(width, height) : JpegDeclaring(width, height));
        var tools = MediaSamples.Tools(o => (o.FfmpegPath, o.FfprobePath) = ("/nonexistent/ffmpeg", "/nonexistent/ffprobe"));
        using var workspace = tools.CreateWorkspace();
        var input = await workspace.CopyInAsync(path);
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();

        var ex = await Assert.ThrowsAsync<MediaException>(() => new MediaProbe(tools).ProbeAsync(input));

        Assert.Equal(code, ex.ErrorCode);
        Assert.Contains($"{width}x{height}", ex.Message, StringComparison.Ordinal);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - allocated < 16 << 20, "allocated more than 16 MB");
    }

    /// <summary>
    /// Damaged and hostile pictures get what the FFmpeg path gives them, with or without the in-process reader: the
    /// same code, or, where FFmpeg accepts the damage (it conceals a JPEG's missing rows and ignores PNG checksums),
    /// the same frame. The codes are today's: ffprobe finds no picture in a PNG cut short (not_media) and a 0x0 one in
    /// a bare header (bad_dimensions), and FFmpeg's PNG decoder fails on pixels that do not inflate (ffmpeg_failed)
    /// where ImageSharp would decode what it could.
    /// </summary>
    [Theory]
    [InlineData("png-cut-in-half", "not_media")]
    [InlineData("jpeg-cut-in-half", null)]
    [InlineData("png-damaged-pixels", "ffmpeg_failed")]
    [InlineData("png-bad-checksum", null)]
    [InlineData("png-then-garbage", "unsupported_format")]
    [InlineData("two-jpegs", "unsupported_format")]
    [InlineData("png-header-only", "bad_dimensions")]
    [InlineData("text-named-png", "not_media")]
    public async Task A_damaged_or_hostile_picture_gets_what_the_ffmpeg_path_gives(string kind, string? code)
    {
        var path = samples.PathOf(kind + (kind.Contains("jpeg", StringComparison.Ordinal) ? ".jpg" : ".png"));
        File.WriteAllBytes(path, Damaged(kind));

        var inProcess = await OutcomeAsync(_inProcess, path);
        var ffmpeg = await OutcomeAsync(_ffmpegOnly, path);

        Assert.Equal(ffmpeg.Code, inProcess.Code);
        Assert.Equal(code, inProcess.Code);
        Assert.Equal(ffmpeg.Frame, inProcess.Frame);
    }

    private byte[] Damaged(string kind)
    {
        var png = File.ReadAllBytes(samples.Make("damage.png", "-f", "lavfi", "-i", "testsrc2=s=320x240", "-frames:v", "1"));
        var jpeg = File.ReadAllBytes(samples.Make("damage.jpg", "-f", "lavfi", "-i", "testsrc2=s=320x240", "-frames:v", "1"));
        switch (kind)
        {
            case "png-cut-in-half":
                return png[..(png.Length / 2)];
            case "jpeg-cut-in-half":
                return jpeg[..(jpeg.Length / 2)];
            case "png-damaged-pixels":
                // The compressed pixels overwritten in the middle, the chunk's checksum made right again.
                var damaged = (byte[])png.Clone();
                var (start, length) = Idat(damaged);
                damaged.AsSpan(start + 8 + (length / 2), Math.Min(64, length / 4)).Fill(0xA5);
                RewriteCrc(damaged, start, length);
                return damaged;
            case "png-bad-checksum":
                var flipped = (byte[])png.Clone();
                var (at, size) = Idat(flipped);
                flipped[at + 8 + size] ^= 0xFF;
                return flipped;
            case "png-then-garbage":
                return [.. png, .. "trailing bytes that are no picture"u8];
            case "two-jpegs":
                return [.. jpeg, .. jpeg];
            case "png-header-only":
                return png[..33];
            default:
                return "a shopping list, not a picture\n"u8.ToArray();
        }
    }

    private static (int Start, int Length) Idat(byte[] png)
    {
        var position = 8;
        while (true)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(position));
            if (png.AsSpan(position + 4, 4).SequenceEqual("IDAT"u8))
            {
                return (position, length);
            }

            position += 12 + length;
        }
    }

    private static void RewriteCrc(byte[] png, int start, int length) =>
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(start + 8 + length), HostileMedia.Crc32(png.AsSpan(start + 4, 4 + length)));

    /// <summary>The error code of probing and extracting, or the frame when both succeed.</summary>
    private async Task<(string? Code, byte[]? Frame)> OutcomeAsync(MediaTools tools, string path)
    {
        try
        {
            var info = await ProbeAsync(tools, path);
            return (null, (await new MiddleFrameExtractor(tools).ExtractMiddleAsync(info)).Rgb24.ToArray());
        }
        catch (MediaException ex)
        {
            Assert.Contains(path, ex.Message, StringComparison.Ordinal);
            return (ex.ErrorCode, null);
        }
    }

    /// <summary>A small real JPEG whose frame header (SOF0) is rewritten to declare <paramref name="width"/> x <paramref name="height"/>.</summary>
    private byte[] JpegDeclaring(int width, int height)
    {
        var jpeg = File.ReadAllBytes(samples.Make("small.jpg", "-f", "lavfi", "-i", "testsrc2=s=64x48", "-frames:v", "1"));
        var sof = jpeg.AsSpan().IndexOf([(byte)0xFF, (byte)0xC0]);
        BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(sof + 5), (ushort)height);
        BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(sof + 7), (ushort)width);
        return jpeg;
    }

    /// <summary>The JPEG with an EXIF segment (APP1) holding only an orientation tag, right after its start-of-image marker.</summary>
    private static byte[] WithExifOrientation(byte[] jpeg, ushort orientation)
    {
        var tiff = new byte[26];
        "II*\0"u8.CopyTo(tiff);
        BinaryPrimitives.WriteUInt32LittleEndian(tiff.AsSpan(4), 8); // the first directory
        BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(8), 1); // one entry:
        BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(10), 0x0112); // Orientation,
        BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(12), 3); // SHORT,
        BinaryPrimitives.WriteUInt32LittleEndian(tiff.AsSpan(14), 1); // one value
        BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(18), orientation); // (next directory: 0)
        byte[] payload = [.. "Exif\0\0"u8, .. tiff];
        var app1 = new byte[4 + payload.Length];
        (app1[0], app1[1]) = (0xFF, 0xE1);
        BinaryPrimitives.WriteUInt16BigEndian(app1.AsSpan(2), (ushort)(payload.Length + 2));
        payload.CopyTo(app1, 4);
        return [.. jpeg[..2], .. app1, .. jpeg[2..]];
    }

    private static (string, string, int, int, bool, double?, bool) Facts(MediaInfo info) =>
        (info.ContainerFormat, info.Video.Codec, info.Video.Width, info.Video.Height, info.IsStillImage, info.DurationSeconds, info.HasAudio);

    private async Task<MediaInfo> ProbeAsync(MediaTools tools, string path)
    {
        var workspace = tools.CreateWorkspace();
        _workspaces.Add(workspace);
        return await new MediaProbe(tools).ProbeAsync(await workspace.CopyInAsync(path));
    }
}
