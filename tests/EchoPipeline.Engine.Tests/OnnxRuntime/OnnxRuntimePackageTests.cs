using Microsoft.ML.OnnxRuntime;

namespace EchoPipeline.Engine.Tests.OnnxRuntime;

/// <summary>
/// The build carries ONNX Runtime from exactly one NuGet package, the one -p:OnnxRuntimeFlavor selects (Cpu by default),
/// at the version Directory.Packages.props pins, and only a Gpu build carries the CUDA provider.
/// </summary>
public sealed class OnnxRuntimePackageTests
{
    [Fact]
    public void The_natives_come_from_the_one_package_the_flavour_selects_at_its_pinned_version()
    {
        var expected = $"{OnnxRuntimePackage.ExpectedId}/{OnnxRuntimePackage.PinnedVersion(OnnxRuntimePackage.ExpectedId)}";

        Assert.Equal([expected], OnnxRuntimePackage.LibrariesWithNatives());
    }

    [Fact]
    public void The_loaded_native_library_reports_the_pinned_version()
    {
        Assert.Equal(OnnxRuntimePackage.PinnedVersion(OnnxRuntimePackage.ExpectedId), OrtEnv.Instance().GetVersionString());
    }

    [Fact]
    public void Only_a_gpu_build_carries_the_cuda_provider_and_every_build_one_linux_library()
    {
        var output = AppContext.BaseDirectory;
        var cudaProviders = Directory.GetFiles(output, "libonnxruntime_providers_cuda.so", SearchOption.AllDirectories);
        var linuxLibraries = Directory.GetFiles(output, "libonnxruntime.so", SearchOption.AllDirectories)
            .Where(f => !f.Contains("linux-arm64", StringComparison.Ordinal));

        Assert.Equal(OnnxRuntimePackage.Flavour == "Gpu" ? 1 : 0, cudaProviders.Length);
        Assert.Single(linuxLibraries);
    }
}
