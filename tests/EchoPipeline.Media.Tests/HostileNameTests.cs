namespace EchoPipeline.Media.Tests;

/// <summary>File names that a shell, FFMpegCore's quoting or FFmpeg's own parsing could misread still name exactly that file.</summary>
public sealed class HostileNameTests(MediaSamples samples) : IClassFixture<MediaSamples>
{
    private readonly MediaTools _tools = MediaSamples.Tools();

    public static TheoryData<string> Names() =>
    [
        "-i.mp4",
        "-y -f null",
        "--leading dashes.mp4",
        "with spaces and 'single' \"double\" quotes.mp4",
        "\" -f lavfi -i testsrc \".mp4",
        "back\\slash\\\".mp4",
        "ünïcødé 视频 🎬.mp4",
        "colon:pipe:not-a-protocol.mp4",
        "file:relative.mp4",
        "semi;colon|pipe&$(echo pwned)`x`.mp4",
        "frame%03d.png",
        "frame%03d.mp4",
        "question?hash#percent%20.mp4",
        "new\nline.mp4",
        new string('x', 196) + ".mp4",
    ];

    [Theory]
    [MemberData(nameof(Names))]
    public async Task A_valid_video_under_a_hostile_name_is_probed_and_read(string name)
    {
        var path = samples.PathOf(name);
        File.Copy(name.EndsWith(".png", StringComparison.Ordinal) ? GreenPicture() : GreenClip(), path, overwrite: true);
        using var workspace = _tools.CreateWorkspace();

        var info = await new MediaProbe(_tools).ProbeAsync(await workspace.CopyInAsync(path));
        var frame = await new MiddleFrameExtractor(_tools).ExtractMiddleAsync(info);

        Assert.Equal(path, info.Source);
        Assert.Equal((64, 48), (info.Video.Width, info.Video.Height));
        Pixels.AssertNear((0, 255, 0), frame[128, 128], 12, name);
    }

    [Fact]
    public async Task A_relative_path_through_dot_dot_reaches_the_file()
    {
        var nested = Directory.CreateDirectory(samples.PathOf(Path.Combine("a", "b"))).FullName;
        var path = Path.Combine(nested, "..", "..", "clip.mp4");
        File.Copy(GreenClip(), samples.PathOf("clip.mp4"), overwrite: true);
        using var workspace = _tools.CreateWorkspace();

        var info = await new MediaProbe(_tools).ProbeAsync(await workspace.CopyInAsync(Path.GetRelativePath(Environment.CurrentDirectory, path)));

        Assert.Equal(64, info.Video.Width);
    }

    [Fact]
    public async Task A_hostile_name_on_garbage_is_refused_and_named_without_the_generated_path()
    {
        var path = samples.PathOf("-f lavfi -i testsrc.mp4");
        await File.WriteAllTextAsync(path, "not a video");
        using var workspace = _tools.CreateWorkspace();

        var ex = await Assert.ThrowsAsync<MediaException>(async () => await new MediaProbe(_tools).ProbeAsync(await workspace.CopyInAsync(path)));

        Assert.Equal("not_media", ex.ErrorCode);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(workspace.Directory, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(workspace.Directory, ex.ToolOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void A_workspace_under_a_folder_with_characters_ffmpeg_could_misread_is_refused()
    {
        var parent = Directory.CreateDirectory(samples.PathOf("temp \"quoted\"")).FullName;

        var ex = Assert.Throws<ArgumentException>(() => _tools.CreateWorkspace(parent));

        Assert.Contains("FFMpegCore", ex.Message, StringComparison.Ordinal);
    }

    private string GreenPicture() => samples.Make("green.png", "-f", "lavfi", "-i", MediaSamples.Color("0x00ff00", 64, 48), "-frames:v", "1");

    private string GreenClip() => samples.Make("green.mp4", "-f", "lavfi", "-i", MediaSamples.Color("0x00ff00", 64, 48, 1),
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p");
}
