using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace EchoPipeline.Engine.Bundles;

/// <summary>
/// Creates the bundle's sessions on the requested execution provider. Whether CUDA works is settled on the first
/// component; the rest follow the same decision, so a bundle never runs half on the GPU.
/// </summary>
internal sealed class SessionFactory(BundleLoadOptions options, ILogger logger)
{
    private static readonly string CudaProvider = TransformerGraphs.ProviderName(BundleExecutionProvider.Cuda);
    private const string CudaProviderLibrary = "libonnxruntime_providers_cuda.so";

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
                    unavailable = CudaProviderLoadError() is { } loadError ? $"{e.Message.TrimEnd('.')}: {loadError}" : e.Message;
                }
            }

            var message = $"the CUDA execution provider (device {options.CudaDeviceId}) was requested but cannot be used: {unavailable.TrimEnd('.')}.";
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

    /// <summary>
    /// Why the CUDA provider library does not load, in the dynamic loader's words (for example a missing
    /// libcublasLt.so.13): ONNX Runtime's exception only says that loading failed. Null when it loads or is not found.
    /// </summary>
    private static string? CudaProviderLoadError()
    {
        // Beside libonnxruntime.so: flat in a RID-specific publish (the images), under runtimes/ in a portable build.
        string[] candidates =
        [
            Path.Combine(AppContext.BaseDirectory, CudaProviderLibrary),
            Path.Combine(AppContext.BaseDirectory, "runtimes", RuntimeInformation.RuntimeIdentifier, "native", CudaProviderLibrary),
        ];
        var library = candidates.FirstOrDefault(File.Exists);
        if (library is null)
        {
            return null;
        }

        try
        {
            NativeLibrary.Free(NativeLibrary.Load(library));
            return null;
        }
        catch (DllNotFoundException e)
        {
            // .NET wraps the loader's message (its last line) in advice about strace and LD_DEBUG.
            var loaderMessage = e.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];
            return $"{CudaProviderLibrary}: {loaderMessage} (it needs the CUDA 13 and cuDNN 9 runtime libraries on the loader path)";
        }
    }

    private SessionOptions NewOptions()
    {
        var session = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        if (options.IntraOpNumThreads is { } threads)
        {
            session.IntraOpNumThreads = threads;
        }

        if (options.InterOpNumThreads is { } interOp)
        {
            session.InterOpNumThreads = interOp;
        }

        foreach (var (key, value) in ConfigEntries(options))
        {
            session.AddSessionConfigEntry(key, value);
        }

        return session;
    }

    /// <summary>The session configuration entries <paramref name="options"/> ask for, beyond ONNX Runtime's defaults.</summary>
    internal static IEnumerable<KeyValuePair<string, string>> ConfigEntries(BundleLoadOptions options)
    {
        if (!options.IntraOpSpinning)
        {
            yield return new("session.intra_op.allow_spinning", "0");
        }
    }
}
