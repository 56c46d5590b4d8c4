using System.Globalization;
using EchoPipeline.Engine.Bundles;
using EchoPipeline.Engine.Generation;
using EchoPipeline.Worker.Hosting;

namespace EchoPipeline.Worker.Memory;

/// <summary>
/// The worker's batch size: <c>Worker:BatchSize</c> when set; otherwise what fits the free memory of the device the
/// bundle runs on, for the graph its image->audio batches run (docs/performance.md, "Batch size from memory").
/// </summary>
internal static class WorkerBatchSize
{
    /// <summary>The largest batch, as for <c>Worker:BatchSize</c>.</summary>
    public const int Cap = 32;

    /// <summary>The batch size on CUDA when nothing says how much device memory there is (the earlier default).</summary>
    public const int WithoutDeviceMemory = 4;

    private const long MiB = 1 << 20;

    /// <returns>The size and why, for the start-up log.</returns>
    public static (int Size, string Reason) Choose(WorkerOptions settings, ModelBundle bundle, Func<long> cpuFreeBytes)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(bundle);
        if (settings.BatchSize is { } set)
        {
            return (set, "Worker:BatchSize");
        }

        var job = JobFor(bundle, settings.ModelWidth);
        if (bundle.ExecutionProvider == BundleExecutionProvider.Cpu)
        {
            // Measured after loading, so the weights are already out of it.
            var free = cpuFreeBytes() / settings.WorkersPerMachine;
            return (BatchSizing.For(job, free, 0, Cap), Describe("CPU memory free for this worker", free, 0, job));
        }

        if (settings.DeviceMemoryMiB is not { } deviceMiB)
        {
            return (WithoutDeviceMemory, "CUDA device memory unknown: set Worker:DeviceMemoryMiB (or Worker:BatchSize)");
        }

        var share = deviceMiB * MiB / settings.WorkersPerMachine;
        var weights = bundle.LoadedFiles.Sum(f => new FileInfo(f).Length);
        return (BatchSizing.For(job, share, weights, Cap), Describe("CUDA memory for this worker (Worker:DeviceMemoryMiB)", share, weights, job));
    }

    /// <summary>One image->audio job of this bundle, on the graph such a batch runs.</summary>
    public static JobMemory JobFor(ModelBundle bundle, int width)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var (tokens, audio) = (bundle.Manifest.Tokens, bundle.Manifest.Audio);
        var graph = bundle.TransformerChoice.SingleMode[GenerationMode.ImageToAudio];
        var variant = bundle.Manifest.Variants?.Transformer?.FirstOrDefault(v => v.Name == graph);
        var imageLogits = variant is null || variant.Outputs.Count > 1 ? (long)tokens.Image.Length * tokens.Image.CodebookSize : 0;
        return new JobMemory(
            tokens.Audio.Length + tokens.Image.Length,
            width,
            ((long)tokens.Audio.Length * tokens.Audio.CodebookSize) + imageLogits,
            ((long)audio.MelBins * audio.Frames) + audio.Samples,
            variant?.Weights == "float16" ? 2 : 4,
            variant?.Attention?.EndsWith("MultiHeadAttention", StringComparison.Ordinal) == true);
    }

    private static string Describe(string what, long free, long weights, JobMemory job) => string.Create(
        CultureInfo.InvariantCulture,
        $"{what} {free / MiB} MiB, weights {weights / MiB} MiB, {job.Bytes / MiB} MiB per job ({job.BytesPerElement}-byte elements{(job.FusedAttention ? ", fused attention" : "")})");
}
