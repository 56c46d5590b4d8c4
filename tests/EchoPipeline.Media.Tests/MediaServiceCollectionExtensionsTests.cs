using Microsoft.Extensions.DependencyInjection;

namespace EchoPipeline.Media.Tests;

public sealed class MediaServiceCollectionExtensionsTests
{
    [Fact]
    public void The_services_share_one_runner_with_the_configured_options()
    {
        using var provider = new ServiceCollection()
            .AddEchoPipelineMedia(o => o.FfmpegPath = "/opt/ffmpeg/bin/ffmpeg")
            .BuildServiceProvider();

        var runner = provider.GetRequiredService<FfmpegRunner>();

        Assert.Equal("/opt/ffmpeg/bin/ffmpeg", runner.Options.FfmpegPath);
        Assert.NotNull(provider.GetRequiredService<MediaProbe>());
        Assert.NotNull(provider.GetRequiredService<MiddleFrameExtractor>());
        Assert.NotNull(provider.GetRequiredService<FramePngEncoder>());
        Assert.NotNull(provider.GetRequiredService<SoundtrackMuxer>());
        Assert.NotNull(provider.GetRequiredService<SpectrogramRenderer>());
    }
}
