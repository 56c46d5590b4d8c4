using EchoPipeline.Jobs.Storage;
using EchoPipeline.Media;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace EchoPipeline.Ingest;

public static class IngestServiceCollectionExtensions
{
    /// <summary>
    /// Registers the ingest (<see cref="IngestService"/> and what it needs): storage from the <c>EchoStorage</c>
    /// connection, FFmpeg from <c>Media</c>, the ingest settings from <c>Ingest</c>, each validated at start-up.
    /// </summary>
    public static IServiceCollection AddEchoIngest(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<IngestOptions>().Configure(o => configuration.GetSection(IngestOptions.SectionName).Bind(o)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<IngestOptions>, IngestOptionsValidator>();
        services.AddOptions<MediaOptions>().Configure(o => configuration.GetSection("Media").Bind(o));
        services.AddEchoPipelineMedia();
        services.AddEchoStorage(configuration);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<MediaOptions>>().Value);

        services.AddSingleton<IngestClock>();
        services.AddSingleton<FrameIngest>();
        services.AddSourceDownloader();
        services.AddSingleton<IngestService>();
        return services;
    }
}
