namespace EchoPipeline.Engine.Bundles;

/// <summary>Where and how a bundle's ONNX sessions run.</summary>
public sealed class BundleLoadOptions
{
    /// <summary>The execution provider for every session. Default: CPU.</summary>
    public BundleExecutionProvider ExecutionProvider { get; set; } = BundleExecutionProvider.Cpu;

    /// <summary>The CUDA device ordinal when <see cref="ExecutionProvider"/> is CUDA.</summary>
    public int CudaDeviceId { get; set; }

    /// <summary>When CUDA was asked for but cannot be used, run on the CPU (and log why) instead of failing.</summary>
    public bool AllowCpuFallback { get; set; }

    /// <summary>
    /// The transformer graph to run instead of the provider's pick: a name from bundle.json's <c>variants.transformer</c>
    /// (for the modes it serves, on any provider; e.g. to check a GPU graph on the CPU) or <c>plain</c>
    /// (<c>components.transformer</c> for every mode). Null: the pick by execution provider (docs/models.md).
    /// </summary>
    public string? TransformerVariant { get; set; }

    /// <summary>
    /// Threads per session for intra-op parallelism; null leaves ONNX Runtime's default. Also the most threads the
    /// engine's own CPU work (sampling, the mel front end, Griffin-Lim, the output watermark) runs on (null: every
    /// core), so that workers sharing a machine each keep to their share.
    /// </summary>
    public int? IntraOpNumThreads { get; set; }

    /// <summary>
    /// Whether a session's intra-op threads spin while they wait for work (ONNX Runtime's default) instead of sleeping.
    /// Off by default: between transformer runs the engine samples on the same cores, and spinning threads take them
    /// from it and from anything else on the machine (docs/performance.md: on 2 cores one clip took 348-408 ms without
    /// spinning, 415-505 ms with it).
    /// </summary>
    public bool IntraOpSpinning { get; set; }

    /// <summary>Threads per session for running independent operators at once; null leaves ONNX Runtime's default.</summary>
    public int? InterOpNumThreads { get; set; }
}

/// <summary>Execution providers a bundle can run on.</summary>
public enum BundleExecutionProvider
{
    Cpu,
    Cuda,
}
