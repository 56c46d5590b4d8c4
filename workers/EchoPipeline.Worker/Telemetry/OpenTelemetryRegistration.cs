using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace EchoPipeline.Worker.Telemetry;

/// <summary>
/// OTLP export without the hosting/instrumentation packages (not restorable here): the tracer and meter providers are
/// built directly and owned by the container, which disposes (and so flushes) them at shutdown.
/// </summary>
internal static class OpenTelemetryRegistration
{
    public static IServiceCollection AddWorkerOpenTelemetry(this IServiceCollection services, OpenTelemetryOptions options)
    {
        if (options.Endpoint is null)
        {
            return services;
        }

        var resource = ResourceBuilder.CreateDefault().AddService(options.ServiceName);
        services.AddSingleton(_ => Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(resource)
            .AddSource(WorkerTelemetry.Name)
            .AddOtlpExporter(o => Configure(o, options))
            .Build());
        services.AddSingleton(_ => Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(resource)
            .AddMeter(WorkerTelemetry.Name)
            .AddOtlpExporter(o => Configure(o, options))
            .Build());
        return services;
    }

    private static void Configure(OtlpExporterOptions exporter, OpenTelemetryOptions options)
    {
        exporter.Endpoint = options.Endpoint!;
        exporter.Protocol = options.Protocol == "http/protobuf" ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
        if (!string.IsNullOrEmpty(options.Headers))
        {
            exporter.Headers = options.Headers;
        }
    }
}
