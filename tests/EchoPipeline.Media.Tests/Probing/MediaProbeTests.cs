namespace EchoPipeline.Media.Tests.Probing;

public sealed class MediaProbeTests(MediaSamples samples) : IClassFixture<MediaSamples>, IDisposable
{
    private static readonly MediaTools Tools = MediaSamples.Tools();
    private readonly MediaTools _tools = Tools;
    private readonly MediaWorkspace _workspace = Tools.CreateWorkspace();

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task A_video_with_sound_reports_its_facts()
    {
        var path = samples.Make("facts.mp4",
            "-f", "lavfi", "-i", "testsrc2=s=320x180:r=10:d=3", "-f", "lavfi", "-i", "sine=d=3",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest");

        var info = await ProbeAsync(path);

        Assert.Equal(path, info.Source);
        Assert.Equal(new FileInfo(path).Length, info.SizeBytes);
        Assert.Contains("mp4", info.ContainerFormat, StringComparison.Ordinal);
        Assert.InRange(info.DurationSeconds!.Value, 2.95, 3.1);
        Assert.Equal(TimeSpan.FromSeconds(info.DurationSeconds.Value / 2), info.Middle);
        Assert.False(info.IsStillImage);
        Assert.True(info.HasAudio);
        Assert.Equal(("h264", 320, 180, 30L, 10.0, 0),
            (info.Video.Codec, info.Video.Width, info.Video.Height, info.Video.FrameCount, info.Video.FrameRate, info.Video.Rotation));
    }

    [Fact]
    public async Task The_duration_is_the_pictures_when_the_sound_runs_longer()
    {
        var path = samples.Make("short-picture.mp4",
            "-f", "lavfi", "-i", MediaSamples.Color("0x00ff00", 64, 48, 2), "-f", "lavfi", "-i", "sine=d=6",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac");
        var info = await ProbeAsync(path);
        var frame = await new MiddleFrameExtractor(_tools).ExtractMiddleAsync(info);

        Assert.InRange(info.DurationSeconds!.Value, 1.95, 2.1);
        Pixels.AssertNear((0, 255, 0), frame[128, 128], 12, "middle of the picture");
    }

    [Fact]
    public async Task A_silent_video_has_no_audio()
    {
        var path = samples.Make("silent.mkv", "-f", "lavfi", "-i", MediaSamples.Color("blue", 64, 48, 2), "-c:v", "mpeg4");

        var info = await ProbeAsync(path);

        Assert.False(info.HasAudio);
        Assert.Equal(("mpeg4", 64, 48), (info.Video.Codec, info.Video.Width, info.Video.Height));
        Assert.InRange(info.DurationSeconds!.Value, 1.95, 2.1);
    }

    [Fact]
    public async Task Rotation_metadata_is_reported()
    {
        var source = samples.Make("upright.mp4", "-f", "lavfi", "-i", MediaSamples.Color("red", 64, 48, 1), "-c:v", "libx264", "-preset", "ultrafast");
        var path = samples.Make("rotated.mp4", "-i", "file:" + source, "-c", "copy", "-metadata:s:v:0", "rotate=90");

        var info = await ProbeAsync(path);

        Assert.Equal(90, Math.Abs(info.Video.Rotation));
    }

    [Theory]
    [InlineData("still.png", "png")]
    [InlineData("still.jpg", "mjpeg")]
    [InlineData("still.webp", "webp")]
    public async Task Still_images_are_flagged_and_have_no_duration(string name, string codec)
    {
        var path = samples.Make(name, "-f", "lavfi", "-i", MediaSamples.Color("orange", 400, 300), "-frames:v", "1");

        var info = await ProbeAsync(path);

        Assert.True(info.IsStillImage);
        Assert.Null(info.DurationSeconds);
        Assert.Equal(TimeSpan.Zero, info.Middle);
        Assert.Equal((codec, 400, 300), (info.Video.Codec, info.Video.Width, info.Video.Height));
    }

    /// <summary>Containers and codecs people upload besides H.264 MP4: each is read with its own demuxer, forced by -f.</summary>
    [Theory]
    [InlineData("clip.webm", "matroska,webm", "vp9", "-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8")]
    [InlineData("clip.mov", "mov,mp4,m4a,3gp,3g2,mj2", "h264", "-c:v", "libx264", "-preset", "ultrafast")]
    [InlineData("clip.mkv", "matroska,webm", "hevc", "-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "log-level=error")]
    [InlineData("clip.avi", "avi", "mpeg4", "-c:v", "mpeg4")]
    [InlineData("clip.ts", "mpegts", "mpeg2video", "-c:v", "mpeg2video")]
    [InlineData("clip.flv", "flv", "flv1", "-c:v", "flv")]
    public async Task Other_allowed_containers_give_their_middle_frame(string name, string format, string codec, params string[] encode)
    {
        var path = samples.Make(name, ["-f", "lavfi", "-i", MediaSamples.Color("0x00ff00", 64, 48, 2), .. encode]);

        var info = await ProbeAsync(path);
        var frame = await new MiddleFrameExtractor(_tools).ExtractMiddleAsync(info);

        Assert.Equal((format, codec, false), (info.ContainerFormat, info.Video.Codec, info.IsStillImage));
        Assert.InRange(info.DurationSeconds!.Value, 1.9, 2.2);
        Pixels.AssertNear((0, 255, 0), frame[128, 128], 16, name);
    }

    [Fact]
    public async Task A_bmp_is_a_still_image()
    {
        var path = samples.Make("still.bmp", "-f", "lavfi", "-i", MediaSamples.Color("orange", 40, 30), "-frames:v", "1");

        var info = await ProbeAsync(path);

        Assert.Equal(("bmp_pipe", "bmp", true), (info.ContainerFormat, info.Video.Codec, info.IsStillImage));
    }

    private async Task<MediaInfo> ProbeAsync(string path) => await new MediaProbe(_tools).ProbeAsync(await _workspace.CopyInAsync(path));
}
