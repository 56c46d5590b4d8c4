using EchoPipeline.Engine.Bundles;
using Microsoft.ML.OnnxRuntime;

namespace EchoPipeline.Engine.Tests.Bundles;

public sealed class ExecutionProviderTests
{
    [CpuOnlyOrtFact]
    public void Cuda_without_a_cuda_build_fails_clearly()
    {
        var options = new BundleLoadOptions { ExecutionProvider = BundleExecutionProvider.Cuda, CudaDeviceId = 0 };

        var error = Assert.Throws<BundleLoadException>(() => ModelBundle.Load(TempBundle.TinyDirectory, options));

        Assert.EndsWith(".onnx", error.FilePath, StringComparison.Ordinal);
        Assert.Contains("CUDA execution provider (device 0) was requested but cannot be used", error.Message, StringComparison.Ordinal);
        Assert.Contains("no CUDAExecutionProvider (available: CPUExecutionProvider", error.Message, StringComparison.Ordinal);
        Assert.Contains("AllowCpuFallback", error.Message, StringComparison.Ordinal);
    }

    [CpuOnlyOrtFact]
    public void Cuda_falls_back_to_the_cpu_when_allowed()
    {
        var options = new BundleLoadOptions { ExecutionProvider = BundleExecutionProvider.Cuda, AllowCpuFallback = true };

        using var bundle = ModelBundle.Load(TempBundle.TinyDirectory, options);

        Assert.Equal(BundleExecutionProvider.Cpu, bundle.ExecutionProvider);
        Assert.True(bundle.HasVocoder);
    }
}

/// <summary>A fact about ONNX Runtime builds without the CUDA provider (skipped where the GPU build is present).</summary>
internal sealed class CpuOnlyOrtFactAttribute : FactAttribute
{
    public CpuOnlyOrtFactAttribute()
    {
        if (OrtEnv.Instance().GetAvailableProviders().Contains("CUDAExecutionProvider"))
        {
            Skip = "This ONNX Runtime build has the CUDA execution provider.";
        }
    }
}
