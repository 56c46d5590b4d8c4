using EchoPipeline.Functions.Batches;
using EchoPipeline.Functions.Verification;
using EchoPipeline.Ingest;
using EchoPipeline.Media;
using EchoPipeline.Provenance.Watermarking;
using Microsoft.Extensions.Options;

namespace EchoPipeline.Functions.Hosting;

/// <summary>The app's registrations: the ingest library, the batch limits, the packaged FFmpeg and VerifyAudio's verifier. Function classes are activated per invocation.</summary>
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
        services.AddOptions<BatchOptions>().Configure(o => configuration.GetSection(BatchOptions.SectionName).Bind(o)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<BatchOptions>, BatchOptionsValidator>();
        // Resolved at start-up, so FFmpeg is executable before the first invocation needs it.
        services.AddOptions<MediaOptions>()
            .PostConfigure(options => PackagedTools.MakeExecutable(options, Path.Combine(Path.GetTempPath(), "echo-tools")))
            .ValidateOnStart();

        // VerifyAudio: its limits, and the deployment's watermark keys (Key Vault references in Azure), checked at start-up.
        services.AddOptions<VerifyAudioOptions>().Bind(configuration.GetSection(VerifyAudioOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<VerifyAudioOptions>, VerifyAudioOptionsValidator>();
        services.AddOptions<WatermarkOptions>().Bind(configuration.GetSection(WatermarkOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<WatermarkOptions>, WatermarkOptionsValidator>();
        services.AddSingleton<BlobAudioVerifier>();
        return services;
    }
}
