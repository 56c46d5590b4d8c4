using EchoPipeline.Ingest;
using EchoPipeline.Media;

namespace EchoPipeline.Functions.Hosting;

/// <summary>The app's registrations: the ingest library and the packaged FFmpeg. Function classes are activated per invocation.</summary>
public static class FunctionsServiceCollectionExtensions
{
    public static IHostApplicationBuilder AddEchoFunctions(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddEchoFunctions(builder.Configuration);
        return builder;
    }

    public static IServiceCollection AddEchoFunctions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddEchoIngest(configuration);
        // Resolved at start-up, so FFmpeg is executable before the first invocation needs it.
        services.AddOptions<MediaOptions>()
            .PostConfigure(options => PackagedTools.MakeExecutable(options, Path.Combine(Path.GetTempPath(), "echo-tools")))
            .ValidateOnStart();
        return services;
    }
}
