using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EchoPipeline.Media.Tests;

public sealed class MediaServiceCollectionExtensionsTests
{
    [Fact]
    public void The_services_share_one_boundary_with_the_configured_options()
    {
        using var provider = new ServiceCollection()
            .AddEchoPipelineMedia(o => (o.FfmpegPath, o.FfprobePath) = ("/opt/ffmpeg/bin/ffmpeg", "/opt/ffmpeg/bin/ffprobe"))
            .BuildServiceProvider();

        var tools = provider.GetRequiredService<MediaTools>();

        Assert.Equal("/opt/ffmpeg/bin/ffmpeg", tools.Options.FfmpegPath);
        Assert.NotNull(provider.GetRequiredService<MediaProbe>());
        Assert.NotNull(provider.GetRequiredService<MiddleFrameExtractor>());
        Assert.NotNull(provider.GetRequiredService<SoundtrackMuxer>());
        Assert.NotNull(provider.GetRequiredService<AudioDecoder>());
    }

    [Theory]
    [InlineData("ffmpeg", "/usr/bin/ffprobe", "same folder")]
    [InlineData("/usr/bin/avconv", "/usr/bin/ffprobe", "called 'ffmpeg'")]
    [InlineData("bin/ffmpeg", "bin/ffprobe", "absolute path")]
    public void Tool_paths_ffmpegcore_cannot_honour_are_refused_when_the_host_starts(string ffmpeg, string ffprobe, string expected)
    {
        using var provider = new ServiceCollection().AddEchoPipelineMedia(o => (o.FfmpegPath, o.FfprobePath) = (ffmpeg, ffprobe)).BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<MediaOptions>>().Value);

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Timeout", "Media:Timeout")]
    [InlineData("JobTimeout", "Media:JobTimeout")]
    [InlineData("MaxPixels", "Media:MaxPixels")]
    public void Limits_that_cannot_work_are_refused(string limit, string expected)
    {
        var options = new MediaOptions();
        switch (limit)
        {
            case "Timeout": options.Timeout = TimeSpan.Zero; break;
            case "JobTimeout": options.JobTimeout = TimeSpan.FromSeconds(1); break;
            case "MaxPixels": options.MaxPixels = 1L << 40; break;
        }

        var result = new MediaOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(expected, result.FailureMessage, StringComparison.Ordinal);
        Assert.Throws<OptionsValidationException>(() => new MediaTools(options));
    }
}
