namespace EchoPipeline.Media.Tests.Shots;

/// <summary>Cuts found by FFmpeg's scene score through the media boundary, on videos made with the ffmpeg CLI.</summary>
public sealed class ShotDetectorTests(MediaSamples samples) : IClassFixture<MediaSamples>
{
    private const double Frame = 1 / 25.0;

    [Fact]
    public async Task A_video_cut_orange_blue_green_has_cuts_at_10_and_20_seconds()
    {
        // Hues 45, 225 and 135 degrees (the demo world's bands 1, 5 and 3), 10 s each at 25 fps.
        var path = samples.Make("thirds.mp4", "-f", "lavfi", "-i",
            $"{MediaSamples.Color("0xFFBF00", 160, 120, 10)}[a];{MediaSamples.Color("0x0040FF", 160, 120, 10)}[b];" +
            $"{MediaSamples.Color("0x00FF40", 160, 120, 10)}[c];[a][b][c]concat=n=3",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p");
        var (info, tools, workspace) = await ProbeAsync(path);
        using (workspace)
        {
            var cuts = await new ShotDetector(tools).DetectCutsAsync(info);

            Assert.Equal(2, cuts.Count);
            Assert.Equal(10.0, cuts[0], Frame);
            Assert.Equal(20.0, cuts[1], Frame);
            Assert.Single(Directory.GetFiles(workspace.Directory)); // the report and the sink are gone, the input stays
        }
    }

    [Fact]
    public async Task A_cut_between_colours_of_equal_brightness_is_found()
    {
        // Red and green (0, 128, 0) have the same luma: on YUV the scene score barely moves, on RGB it is 1.
        var path = samples.Make("red-green.mp4", "-f", "lavfi", "-i",
            $"{MediaSamples.Color("red", 160, 120, 4)}[a];{MediaSamples.Color("0x008000", 160, 120, 4)}[b];[a][b]concat=n=2",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p");
        var (info, tools, workspace) = await ProbeAsync(path);
        using (workspace)
        {
            Assert.Equal(4.0, Assert.Single(await new ShotDetector(tools).DetectCutsAsync(info)), Frame);
        }
    }

    [Fact]
    public async Task One_shot_with_motion_has_no_cut()
    {
        var path = samples.Make("moving.mp4", "-f", "lavfi", "-i", "testsrc2=s=160x120:r=25:d=6",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p");
        var (info, tools, workspace) = await ProbeAsync(path);
        using (workspace)
        {
            Assert.Empty(await new ShotDetector(tools).DetectCutsAsync(info));
        }
    }

    [Fact]
    public async Task A_still_image_has_no_cuts_and_runs_no_ffmpeg()
    {
        var path = samples.Make("still.png", "-f", "lavfi", "-i", MediaSamples.Color("red", 64, 64), "-frames:v", "1");
        var (info, tools, workspace) = await ProbeAsync(path);
        using (workspace)
        {
            Assert.Empty(await new ShotDetector(tools).DetectCutsAsync(info));
        }
    }

    [Fact]
    public async Task Detection_past_the_time_limit_is_stopped_with_the_timeout_code()
    {
        // Four minutes of frames: decoding them all takes seconds, far past the 300 ms allowed.
        var path = samples.Make("four-minutes.mp4", "-f", "lavfi", "-i", "testsrc2=s=320x240:r=25:d=240", "-c:v", "libx264", "-preset", "ultrafast");
        var (info, _, workspace) = await ProbeAsync(path);
        using (workspace)
        {
            var impatient = new ShotDetector(MediaSamples.Tools(o => o.Timeout = TimeSpan.FromMilliseconds(300)));

            var error = await Assert.ThrowsAsync<MediaException>(() => impatient.DetectCutsAsync(info));

            Assert.Equal("timeout", error.ErrorCode);
            Assert.Contains("Media:Timeout", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_report_gives_each_selected_frames_time_in_order()
    {
        string[] report =
        [
            "frame:1    pts:256000  pts_time:20", "lavfi.scene_score=0.400000",
            "frame:0    pts:128000  pts_time:10.04", "lavfi.scene_score=0.729844", "garbage pts_time:3",
        ];

        Assert.Equal([10.04, 20.0], ShotDetector.Parse(report));
    }

    private static async Task<(MediaInfo Info, MediaTools Tools, MediaWorkspace Workspace)> ProbeAsync(string path)
    {
        var tools = MediaSamples.Tools();
        var workspace = tools.CreateWorkspace();
        return (await new MediaProbe(tools).ProbeAsync(await workspace.CopyInAsync(path)), tools, workspace);
    }
}
