using EchoPipeline.Engine.Bundles;
using EchoPipeline.Engine.Generation;
using EchoPipeline.Media;
using EchoPipeline.Testing;

namespace EchoPipeline.Cli.Tests.Commands;

/// <summary>
/// The ingest plans one frame per window with the stride the engine's continuation advances by; the two live in
/// libraries that do not know each other, so this is where they are pinned together.
/// </summary>
public sealed class SegmentContractTests
{
    [Fact]
    public void The_segment_stride_is_the_continuation_stride_of_a_paper_grid_bundle()
    {
        using var model = EchoModel.Load(RepoPaths.Fixture("bundles", "tiny"));

        Assert.Equal(EchoGenerator.DefaultContextColumns, SegmentPlanner.ContextColumns);
        Assert.Equal(SegmentPlanner.AudioColumns, model.AudioColumns);
        var stride = (double)(model.AudioColumns - EchoGenerator.DefaultContextColumns) * model.SamplesPerAudioColumn / model.Mel.SampleRate;
        Assert.Equal(SegmentPlanner.StrideSeconds, stride, 12);
        Assert.Equal(SegmentPlanner.WindowSeconds, (double)model.Mel.OutputSamples / model.Mel.SampleRate, 12);
        Assert.Equal(SegmentPlanner.ColumnSamples, model.SamplesPerAudioColumn);
        Assert.Equal(SegmentPlanner.SampleRate, model.Mel.SampleRate);
        // A shot's windows reach past its cut by the crossfade the engine blends there.
        Assert.Equal(SegmentPlanner.CutCrossfadeSeconds, EchoGenerator.CrossfadeSeconds);
    }
}
