using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EchoPipeline.Media;

public static class MediaServiceCollectionExtensions
{
    /// <summary>Registers the FFmpeg runner and the media services as singletons, configured through <see cref="MediaOptions"/>.</summary>
    public static IServiceCollection AddEchoPipelineMedia(this IServiceCollection services, Action<MediaOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<MediaOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(provider => new FfmpegRunner(
            provider.GetRequiredService<IOptions<MediaOptions>>().Value,
            provider.GetRequiredService<TimeProvider>(),
            provider.GetService<ILogger<FfmpegRunner>>()));
        services.TryAddSingleton<MediaProbe>();
        services.TryAddSingleton<MiddleFrameExtractor>();
        services.TryAddSingleton<FramePngEncoder>();
        services.TryAddSingleton<SoundtrackMuxer>();
        services.TryAddSingleton<SpectrogramRenderer>();
        services.TryAddSingleton<AudioDecoder>();
        return services;
    }
}
