using EchoPipeline.Cli.Throughput;
using EchoPipeline.Media;

namespace EchoPipeline.Cli.Tests.Throughput;

/// <summary>The inputs of `bench --pipeline`'s long-video figures, through the same probe, shot detector and planner as the ingest.</summary>
public sealed class SyntheticVideosTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("echo-synthetic-").FullName;
    private readonly MediaTools _tools = new(new MediaOptions());

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task The_long_video_is_ten_minutes_whose_every_colour_change_is_a_cut()
    {
        var path = await SyntheticVideos.WriteLongAsync(_folder, CancellationToken.None);

        using var workspace = _tools.CreateWorkspace();
        var info = await new MediaProbe(_tools).ProbeAsync(await workspace.CopyInAsync(path));
        var cuts = await new ShotDetector(_tools).DetectCutsAsync(info);
        var segments = SegmentPlanner.Plan(info, cuts);

        Assert.Equal(600, info.DurationSeconds!.Value, 0.2);
        Assert.Equal(SyntheticVideos.Shots - 1, cuts.Count);
        Assert.Equal(31.0, cuts[0], 0.15);
        Assert.Equal(SyntheticVideos.Shots, segments.Count(s => s.StartsShot));
        // Shots of 29-70 s: 4-9 windows each, 76 in all (1 + ceil((columns - 53) / 45) per shot).
        Assert.Equal(76, segments.Count);
    }

    [Fact]
    public async Task The_clips_are_as_many_as_asked_and_each_is_one_window_without_a_cut()
    {
        var clips = await SyntheticVideos.WriteClipsAsync(_folder, 3, CancellationToken.None);

        Assert.Equal(3, clips.Length);
        foreach (var clip in clips)
        {
            using var workspace = _tools.CreateWorkspace();
            var info = await new MediaProbe(_tools).ProbeAsync(await workspace.CopyInAsync(clip));
            var cuts = await new ShotDetector(_tools).DetectCutsAsync(info);

            Assert.Equal(4, info.DurationSeconds!.Value, 0.15);
            Assert.Single(SegmentPlanner.Plan(info, cuts));
        }
    }
}
