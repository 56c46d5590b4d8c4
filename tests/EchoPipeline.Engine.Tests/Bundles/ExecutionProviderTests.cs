using EchoPipeline.Engine.Bundles;
using Microsoft.ML.OnnxRuntime;
using Xunit.Abstractions;

namespace EchoPipeline.Engine.Tests.Bundles;

public sealed class ExecutionProviderTests(ITestOutputHelper output)
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

    // A Gpu-flavour build (-p:OnnxRuntimeFlavor=Gpu) lists the CUDA provider even where libcudart, libcublas or a GPU
    // is missing; only appending the provider finds out. Both outcomes are legitimate there, an unexplained one is not.
    [CudaOrtFact]
    public void Cuda_on_a_cuda_build_runs_on_the_gpu_or_fails_naming_the_reason()
    {
        var options = new BundleLoadOptions { ExecutionProvider = BundleExecutionProvider.Cuda, CudaDeviceId = 0 };

        try
        {
            using var bundle = ModelBundle.Load(TempBundle.TinyDirectory, options);
            Assert.Equal(BundleExecutionProvider.Cuda, bundle.ExecutionProvider);
            output.WriteLine("CUDA is usable here: the bundle runs on the GPU.");
        }
        catch (BundleLoadException error)
        {
            output.WriteLine(error.Message);
            Assert.Contains("CUDA execution provider (device 0) was requested but cannot be used: ", error.Message, StringComparison.Ordinal);
            Assert.Contains("AllowCpuFallback", error.Message, StringComparison.Ordinal);
            if (error.Message.Contains("Failed to load shared library", StringComparison.Ordinal))
            {
                // The loader's own reason, not only ONNX Runtime's "failed": the library that is missing.
                Assert.Matches(@"libonnxruntime_providers_cuda\.so: \S+: cannot open shared object file", error.Message);
            }
        }
    }

    [CudaOrtFact]
    public void Cuda_on_a_cuda_build_with_fallback_allowed_always_loads()
    {
        var options = new BundleLoadOptions { ExecutionProvider = BundleExecutionProvider.Cuda, AllowCpuFallback = true };

        using var bundle = ModelBundle.Load(TempBundle.TinyDirectory, options);

        output.WriteLine($"running on {bundle.ExecutionProvider}");
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

/// <summary>A fact about ONNX Runtime builds with the CUDA provider, i.e. -p:OnnxRuntimeFlavor=Gpu (skipped elsewhere).</summary>
internal sealed class CudaOrtFactAttribute : FactAttribute
{
    public CudaOrtFactAttribute()
    {
        if (!OrtEnv.Instance().GetAvailableProviders().Contains("CUDAExecutionProvider"))
        {
            Skip = "This ONNX Runtime build has no CUDA execution provider (build with -p:OnnxRuntimeFlavor=Gpu).";
        }
    }
}
