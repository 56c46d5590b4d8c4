namespace EchoPipeline.Media.Tests.Probing;

/// <summary>Each kind of bad upload gets its own stable code and a message naming the file.</summary>
public sealed class BadInputTests(MediaSamples samples) : IClassFixture<MediaSamples>
{
    [Fact]
    public async Task A_missing_file_is_not_found()
    {
        var ex = await ProbeFails(samples.PathOf("nowhere.mp4"));

        Assert.Equal("not_found", ex.ErrorCode);
    }

    [Fact]
    public async Task A_zero_byte_file_is_empty()
    {
        var path = samples.PathOf("zero.mp4");
        await File.WriteAllBytesAsync(path, []);

        var ex = await ProbeFails(path);

        Assert.Equal("empty_file", ex.ErrorCode);
    }

    [Fact]
    public async Task A_text_file_named_mp4_is_not_media()
    {
        var path = samples.PathOf("notes.mp4");
        await File.WriteAllTextAsync(path, "These are meeting notes, not a video.\n");

        var ex = await ProbeFails(path);

        Assert.Equal("not_media", ex.ErrorCode);
        Assert.Contains("Invalid data", ex.ToolOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_mp4_cut_in_half_is_truncated()
    {
        // ffmpeg writes the index (moov) at the end unless asked for faststart, so half a file has none.
        var whole = samples.Make("whole.mp4", "-f", "lavfi", "-i", "testsrc2=s=160x120:r=10:d=2", "-c:v", "libx264", "-preset", "ultrafast");
        var path = CutInHalf(whole, "half.mp4");

        var ex = await ProbeFails(path);

        Assert.Equal("truncated", ex.ErrorCode);
    }

    [Fact]
    public async Task A_faststart_mp4_cut_in_half_probes_but_its_middle_frame_is_truncated()
    {
        // The index survives at the front, so only decoding finds the data missing.
        var whole = samples.Make("faststart.mp4", "-f", "lavfi", "-i", "testsrc2=s=160x120:r=10:d=4",
            "-c:v", "libx264", "-preset", "ultrafast", "-movflags", "+faststart");
        var path = CutInHalf(whole, "faststart-half.mp4");
        var tools = MediaSamples.Tools();
        using var workspace = tools.CreateWorkspace();
        var info = await new MediaProbe(tools).ProbeAsync(await workspace.CopyInAsync(path));

        var ex = await Assert.ThrowsAsync<MediaException>(() =>
            new MiddleFrameExtractor(tools).ExtractAtAsync(info, TimeSpan.FromSeconds(3.5)));

        Assert.Equal("truncated", ex.ErrorCode);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sound.m4a", "aac")]
    [InlineData("sound.mp4", "aac")]
    [InlineData("sound.wav", "pcm_s16le")]
    public async Task Audio_only_has_no_video_stream(string name, string codec)
    {
        var path = samples.Make(name, "-f", "lavfi", "-i", "sine=d=1", "-c:a", codec);

        var ex = await ProbeFails(path);

        Assert.Equal("no_video_stream", ex.ErrorCode);
        Assert.Contains("only audio", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Audio_with_cover_art_has_no_video_stream()
    {
        var path = samples.Make("album.m4a", "-f", "lavfi", "-i", "sine=d=1", "-f", "lavfi", "-i", MediaSamples.Color("red", 64, 64, 0.04),
            "-map", "0", "-map", "1", "-c:a", "aac", "-c:v", "png", "-disposition:v", "attached_pic");

        var ex = await ProbeFails(path);

        Assert.Equal("no_video_stream", ex.ErrorCode);
    }

    [Fact]
    public async Task A_16000x16_image_has_bad_dimensions()
    {
        var path = samples.Make("sliver.png", "-f", "lavfi", "-i", MediaSamples.Color("red", 16000, 16), "-frames:v", "1");

        var ex = await ProbeFails(path);

        Assert.Equal("bad_dimensions", ex.ErrorCode);
        Assert.Contains("16000x16", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task More_pixels_than_allowed_is_too_many_pixels()
    {
        var path = samples.Make("big.png", "-f", "lavfi", "-i", MediaSamples.Color("red", 320, 240), "-frames:v", "1");

        var ex = await ProbeFails(path, o => o.MaxPixels = 320 * 240 - 1);

        Assert.Equal("too_many_pixels", ex.ErrorCode);
        Assert.Contains("76800", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Longer_than_allowed_is_too_long()
    {
        var path = samples.Make("three-seconds.mkv", "-f", "lavfi", "-i", MediaSamples.Color("red", 64, 64, 3), "-c:v", "mpeg4");

        var ex = await ProbeFails(path, o => o.MaxDurationSeconds = 2.5);

        Assert.Equal("too_long", ex.ErrorCode);
        Assert.Contains("2.5 s", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Larger_than_allowed_is_too_large_before_ffprobe_runs()
    {
        var path = samples.PathOf("large.mp4");
        await File.WriteAllBytesAsync(path, new byte[2000]);

        // A missing ffprobe proves the size check comes first: staging refuses the file.
        var ex = await ProbeFails(path, o => (o.MaxBytes, o.FfmpegPath, o.FfprobePath) = (1999, "/nonexistent/ffmpeg", "/nonexistent/ffprobe"));

        Assert.Equal("too_large", ex.ErrorCode);
    }

    [Fact]
    public async Task A_missing_ffprobe_is_ffmpeg_missing_rather_than_whatever_is_on_path()
    {
        // A BMP: plain PNGs and JPEGs are read in process and need no ffprobe (InProcessStillsTests).
        var path = samples.Make("small.bmp", "-f", "lavfi", "-i", MediaSamples.Color("red", 32, 32), "-frames:v", "1");

        // FFMpegCore falls back to PATH when the folder has no ffprobe; the boundary does not.
        var ex = await ProbeFails(path, o => (o.FfmpegPath, o.FfprobePath) = ("/nonexistent/ffmpeg", "/nonexistent/ffprobe"));

        Assert.Equal("ffmpeg_missing", ex.ErrorCode);
        Assert.Contains("/nonexistent/ffmpeg", ex.Message, StringComparison.Ordinal);
    }

    private static string CutInHalf(string source, string name)
    {
        var bytes = File.ReadAllBytes(source);
        var path = Path.Combine(Path.GetDirectoryName(source)!, name);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        return path;
    }

    private static async Task<MediaException> ProbeFails(string path, Action<MediaOptions>? configure = null)
    {
        var tools = MediaSamples.Tools(configure);
        using var workspace = tools.CreateWorkspace();
        var ex = await Assert.ThrowsAsync<MediaException>(async () => await new MediaProbe(tools).ProbeAsync(await workspace.CopyInAsync(path)));
        if (ex.Code != MediaErrorCode.FfmpegMissing)
        {
            Assert.Contains(Path.GetFileName(path), ex.Message, StringComparison.Ordinal);
            Assert.Equal(path, ex.FilePath);
        }

        return ex;
    }
}
