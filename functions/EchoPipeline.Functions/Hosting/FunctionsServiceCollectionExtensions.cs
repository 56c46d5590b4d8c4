using EchoPipeline.Functions.CustomHandler;
using EchoPipeline.Functions.Functions;
using EchoPipeline.Functions.Ingest;
using EchoPipeline.Jobs.Storage;
using EchoPipeline.Media;
using Microsoft.Extensions.Options;

namespace EchoPipeline.Functions.Hosting;

/// <summary>Registration of the handler: configuration, storage, media, ingest and the functions.</summary>
public static class FunctionsServiceCollectionExtensions
{
    /// <summary>The port the Functions host tells the handler to listen on (learn.microsoft.com, "Azure Functions custom handlers").</summary>
    public const string PortVariable = "FUNCTIONS_CUSTOMHANDLER_PORT";

    public static WebApplicationBuilder AddEchoFunctions(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (builder.Configuration[PortVariable] is { Length: > 0 } port)
        {
            // Only the local host process calls the handler.
            builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        }

        builder.Services.AddEchoFunctions(builder.Configuration);
        return builder;
    }

    public static IServiceCollection AddEchoFunctions(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddSingleton(TimeProvider.System);
        services.AddOptions<IngestOptions>().Bind(configuration.GetSection(IngestOptions.SectionName));
        services.AddOptions<MediaOptions>().Bind(configuration.GetSection("Media"));
        services.AddEchoPipelineMedia();
        services.AddEchoStorage(configuration);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<MediaOptions>>().Value);

        services.AddSingleton<IngestClock>();
        services.AddSingleton<FrameIngest>();
        services.AddSingleton<SourceDownloader>();
        services.AddSingleton<IngestService>();
        services.AddSingleton<BlobEventIngest>();

        services.AddSingleton<IFunction, OnVideoUploadedFunction>();
        services.AddSingleton<IFunction, OnVideoUploadedWebhookFunction>();
        services.AddSingleton<IFunction, SubmitJobFunction>();
        services.AddSingleton<IFunction, GetJobFunction>();
        services.AddSingleton<FunctionRegistry>();
        return services;
    }

    public static WebApplication MapEchoFunctions(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapCustomHandler();
        return app;
    }
}
