using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EchoPipeline.Media;

public static class MediaServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="MediaTools"/> and the media services as singletons, configured through
    /// <see cref="MediaOptions"/>, which are validated when the host starts.
    /// </summary>
    public static IServiceCollection AddEchoPipelineMedia(this IServiceCollection services, Action<MediaOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<MediaOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MediaOptions>, MediaOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(provider => new MediaTools(
            provider.GetRequiredService<IOptions<MediaOptions>>().Value,
            provider.GetRequiredService<TimeProvider>(),
            provider.GetService<ILogger<MediaTools>>()));
        services.TryAddSingleton<MediaProbe>();
        services.TryAddSingleton<MiddleFrameExtractor>();
        services.TryAddSingleton<ShotDetector>();
        services.TryAddSingleton<SoundtrackMuxer>();
        services.TryAddSingleton<AudioDecoder>();
        services.TryAddSingleton<AudioVerifier>();
        return services;
    }
}
