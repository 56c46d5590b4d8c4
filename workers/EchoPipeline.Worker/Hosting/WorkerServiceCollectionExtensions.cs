using EchoPipeline.Jobs.Storage;
using EchoPipeline.Media;
using EchoPipeline.Provenance.Watermarking;
using EchoPipeline.Worker.Processing;
using EchoPipeline.Worker.Queue;
using EchoPipeline.Worker.Telemetry;
using EchoPipeline.Worker.Webhooks;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace EchoPipeline.Worker.Hosting;

/// <summary>Registration of the worker: configuration, storage, engine, processing, webhooks, telemetry, health.</summary>
public static class WorkerServiceCollectionExtensions
{
    public static WebApplicationBuilder AddEchoWorker(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // Read here for the web host's own settings; the values are checked at start-up with the rest (ValidateOnStart).
        var worker = builder.Configuration.GetSection(WorkerOptions.SectionName).Get<WorkerOptions>() ?? new WorkerOptions();
        // The health endpoint is the only HTTP surface; -1 keeps it on a loopback port nobody is told about.
        builder.WebHost.UseUrls(worker.HealthPort < 0 ? "http://127.0.0.1:0" : $"http://0.0.0.0:{worker.HealthPort}");
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = worker.ShutdownTimeout);
        builder.Services.AddEchoWorker(builder.Configuration);
        return builder;
    }

    public static IServiceCollection AddEchoWorker(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddSingleton(TimeProvider.System);
        // Reflection-based validation, as for the webhook options: the [OptionsValidator] generator drops [Range]'s ErrorMessage.
        services.AddOptions<WorkerOptions>().Bind(configuration.GetSection(WorkerOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<WatermarkOptions>().Bind(configuration.GetSection(WatermarkOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<WatermarkOptions>, WatermarkOptionsValidator>();
        services.AddOptions<MediaOptions>().Bind(configuration.GetSection("Media"));
        services.AddEchoPipelineMedia();
        services.AddEchoStorage(configuration);

        services.AddSingleton<EngineHost>();
        services.AddSingleton<WorkerHealth>();
        services.AddSingleton<JobRecordWriter>();
        services.AddSingleton<JobInputReader>();
        services.AddSingleton<BatchGenerator>();
        services.AddSingleton<JobOutputWriter>();
        services.AddSingleton<JobBatchProcessor>();

        services.AddMetrics();
        services.AddSingleton<WorkerTelemetry>();
        var otel = configuration.GetSection(OpenTelemetryOptions.SectionName).Get<OpenTelemetryOptions>() ?? new OpenTelemetryOptions();
        services.AddWorkerOpenTelemetry(otel);
        services.AddHostedService<TelemetryActivation>();

        services.AddWebhooks(configuration);
        services.AddHostedService<QueueWorker>();
        return services;
    }

    /// <summary><c>GET /healthz</c>: 200 when the bundle is loaded and the loop is alive, 503 otherwise.</summary>
    public static WebApplication MapEchoWorkerHealth(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/healthz", (WorkerHealth health, IOptions<WorkerOptions> options) =>
        {
            var stalled = health.SinceBeat > options.Value.MaxIdleDelay + options.Value.VisibilityTimeout;
            return !health.IsReady ? Results.Text("starting", statusCode: 503)
                : stalled ? Results.Text("stalled", statusCode: 503)
                : Results.Text($"ok in-flight={health.InFlight}");
        });
        return app;
    }

    /// <summary>Creates the OTLP providers (when configured) at start so that they see the first batch.</summary>
    private sealed class TelemetryActivation(IEnumerable<TracerProvider> tracers, IEnumerable<MeterProvider> meters) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            _ = tracers.Count() + meters.Count();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
