namespace EchoPipeline.Media.Tests.Segments;

public sealed class SegmentFramesTests(MediaSamples samples) : IClassFixture<MediaSamples>
{
    [Fact]
    public async Task Each_segment_of_a_25_second_video_gets_the_frame_of_its_own_window()
    {
        // Red [0, W), green [W, 2W), blue [2W, 25): the frames at 4.92, 13.28 and 20.86 s fall one in each.
        var w = SegmentPlanner.WindowSeconds;
        var path = samples.Make("windows.mp4", "-f", "lavfi", "-i",
            $"{MediaSamples.Color("red", 64, 64, w)}[a];{MediaSamples.Color("0x00ff00", 64, 64, w)}[b];" +
            $"{MediaSamples.Color("blue", 64, 64, 25 - (2 * w))}[c];[a][b][c]concat=n=3",
            "-c:v", "libx264", "-preset", "ultrafast", "-g", "250", "-pix_fmt", "yuv420p");
        var tools = MediaSamples.Tools();
        using var workspace = tools.CreateWorkspace();
        var info = await new MediaProbe(tools).ProbeAsync(await workspace.CopyInAsync(path));
        var extractor = new MiddleFrameExtractor(tools);

        var plan = SegmentPlanner.Plan(info);
        var colours = new List<(byte, byte, byte)>();
        foreach (var segment in plan)
        {
            var frame = await extractor.ExtractAtAsync(info, segment.FrameTime);
            colours.Add(frame[128, 128]);
        }

        Assert.Equal(3, plan.Count);
        Pixels.AssertNear((255, 0, 0), colours[0], 12, "segment 0");
        Pixels.AssertNear((0, 255, 0), colours[1], 12, "segment 1");
        Pixels.AssertNear((0, 0, 255), colours[2], 12, "segment 2");
    }
}
