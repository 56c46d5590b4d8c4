using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace EchoPipeline.Engine.Bundles;

/// <summary>
/// Creates the bundle's sessions on the requested execution provider. Whether CUDA works is settled on the first
/// component; the rest follow the same decision, so a bundle never runs half on the GPU.
/// </summary>
internal sealed class SessionFactory(BundleLoadOptions options, ILogger logger)
{
    private const string CudaProvider = "CUDAExecutionProvider";

    public BundleExecutionProvider Provider { get; private set; } = options.ExecutionProvider;

    public InferenceSession Create(string modelPath)
    {
        if (Provider == BundleExecutionProvider.Cuda)
        {
            var unavailable = CudaUnavailableReason();
            if (unavailable is null)
            {
                try
                {
                    using var cuda = NewOptions();
                    cuda.AppendExecutionProvider_CUDA(options.CudaDeviceId);
                    return new InferenceSession(modelPath, cuda);
                }
                catch (OnnxRuntimeException e)
                {
                    unavailable = e.Message;
                }
            }

            var message = $"the CUDA execution provider (device {options.CudaDeviceId}) was requested but cannot be used: {unavailable}";
            if (!options.AllowCpuFallback)
            {
                throw new BundleLoadException(modelPath, message + " Set AllowCpuFallback to run on the CPU instead.");
            }

            BundleLog.CpuFallback(logger, modelPath, message);
            Provider = BundleExecutionProvider.Cpu;
        }

        using var cpu = NewOptions();
        try
        {
            return new InferenceSession(modelPath, cpu);
        }
        catch (OnnxRuntimeException e)
        {
            throw new BundleLoadException(modelPath, $"ONNX Runtime cannot load the model: {e.Message}", e);
        }
    }

    private static string? CudaUnavailableReason()
    {
        var available = OrtEnv.Instance().GetAvailableProviders();
        return available.Contains(CudaProvider)
            ? null
            : $"this ONNX Runtime build has no {CudaProvider} (available: {string.Join(", ", available)}).";
    }

    private SessionOptions NewOptions()
    {
        var session = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        if (options.IntraOpNumThreads is { } threads)
        {
            session.IntraOpNumThreads = threads;
        }

        return session;
    }
}
