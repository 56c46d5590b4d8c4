using Microsoft.Extensions.Logging;

namespace EchoPipeline.Engine.Bundles;

internal static partial class BundleLog
{
    [LoggerMessage(1, LogLevel.Information, "Loaded bundle {BundleId} ({Sha256}) from {Directory} on {Provider}: {Components}")]
    public static partial void Loaded(ILogger logger, string bundleId, string sha256, string directory, BundleExecutionProvider provider, string components);

    [LoggerMessage(3, LogLevel.Information, "Bundle {BundleId} runs these transformer graphs on {Provider} ({Reason}): {Choice}")]
    public static partial void TransformerGraphs(ILogger logger, string bundleId, BundleExecutionProvider provider, string reason, TransformerGraphChoice choice);

    [LoggerMessage(2, LogLevel.Warning, "{ModelPath}: {Reason} Running on the CPU (AllowCpuFallback).")]
    public static partial void CpuFallback(ILogger logger, string modelPath, string reason);
}
