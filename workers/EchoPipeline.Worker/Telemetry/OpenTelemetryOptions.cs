namespace EchoPipeline.Worker.Telemetry;

/// <summary>The <c>Otel</c> section: OTLP export of the worker's traces and metrics when an endpoint is set.</summary>
public sealed class OpenTelemetryOptions
{
    public const string SectionName = "Otel";

    /// <summary>OTLP endpoint (e.g. http://collector:4317); export is off when empty.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>"grpc" (default) or "http/protobuf".</summary>
    public string Protocol { get; set; } = "grpc";

    /// <summary>Extra OTLP headers, "key1=value1,key2=value2" (for example an API key).</summary>
    public string? Headers { get; set; }

    public string ServiceName { get; set; } = "echo-worker";
}
