using EchoPipeline.Engine.Bundles;
using EchoPipeline.Testing;
using EchoPipeline.Worker.Hosting;
using EchoPipeline.Worker.Memory;

namespace EchoPipeline.Worker.Tests.Memory;

/// <summary>The batch size from the model's dimensions and free memory, against figures computed by hand.</summary>
public sealed class BatchSizingTests
{
    // The paper's size: 265 + 256 positions, width 1024, codebooks 1024, 80 x 848 mel, 217088 samples.
    private const long PaperLogits = (265 * 1024) + (256 * 1024);      // 533,504
    private const long PaperPostTransformer = (80 * 848) + 217088;     // 284,928
    private const long GiB = 1L << 30;

    private static readonly JobMemory FusedFloat16 = new(521, 1024, PaperLogits, PaperPostTransformer, 2, FusedAttention: true);
    private static readonly JobMemory PlainFloat32 = new(521, 1024, PaperLogits, PaperPostTransformer, 4, FusedAttention: false);

    [Fact]
    public void A_paper_size_job_on_the_fused_float16_graph_needs_the_hand_computed_bytes()
    {
        // Row: 521 x 1024 x 12 x 2 = 12,804,096 activations + 533,504 x (2 + 4) = 3,201,024 logits = 16,005,120.
        // Job: 2 rows = 32,010,240 + 284,928 x 128 x 4 = 145,883,136 after the transformer = 177,893,376.
        Assert.Equal(16_005_120, FusedFloat16.TransformerRowBytes);
        Assert.Equal(177_893_376, FusedFloat16.Bytes);
    }

    [Fact]
    public void The_plain_float32_graph_also_holds_the_attention_scores_of_its_16_heads()
    {
        // Row: 521 x 1024 x 12 x 4 = 25,608,192 + scores 2 x 16 x 521 x 521 x 4 = 34,744,448 + logits 533,504 x 8
        // = 4,268,032: 64,620,672. Job: 129,241,344 + 145,883,136 = 275,124,480.
        Assert.Equal(64_620_672, PlainFloat32.TransformerRowBytes);
        Assert.Equal(275_124_480, PlainFloat32.Bytes);
    }

    [Theory]
    [InlineData(16, 1_600_000_000, 128, 68)]  // (17,179,869,184 x 0.8 - 1.6e9) / 177,893,376 = 68.27
    [InlineData(16, 1_600_000_000, 32, 32)]   // the cap
    [InlineData(80, 1_600_000_000, 32, 32)]   // 384 fit
    [InlineData(1, 1_600_000_000, 32, 1)]     // the weights alone exceed the usable share: the floor
    [InlineData(2, 0, 32, 9)]                 // measured after loading (no weights left to subtract): 1,717,986,918 / 177,893,376 = 9.66
    public void The_batch_is_what_fits_the_usable_share_of_free_memory_after_the_weights(int freeGiB, long weights, int cap, int expected)
    {
        var actual = BatchSizing.For(FusedFloat16, freeGiB * GiB, weights, cap);

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void On_the_cpu_two_free_gib_hold_six_plain_float32_jobs()
    {
        // 2,147,483,648 x 0.8 = 1,717,986,918 / 275,124,480 = 6.24.
        Assert.Equal(6, BatchSizing.For(PlainFloat32, 2 * GiB, 0, 32));
    }

    [Fact]
    public void The_job_comes_from_the_bundle_and_the_graph_its_image_to_audio_batches_run()
    {
        var directory = RepoPaths.Fixture("bundles", "exported-small");
        using var plain = ModelBundle.Load(directory);
        using var audio = ModelBundle.Load(directory, new BundleLoadOptions { TransformerVariant = "cuda-fp16-fused-audio" });

        Assert.Equal(new JobMemory(521, 64, PaperLogits, PaperPostTransformer, 4, false), WorkerBatchSize.JobFor(plain, 64));
        Assert.Equal(new JobMemory(521, 64, 265 * 1024, PaperPostTransformer, 2, true), WorkerBatchSize.JobFor(audio, 64));
    }

    [Fact]
    public void Worker_batch_size_wins_and_otherwise_the_cpu_worker_sizes_its_share_of_free_memory()
    {
        using var bundle = ModelBundle.Load(RepoPaths.Fixture("bundles", "exported-small"));
        var job = WorkerBatchSize.JobFor(bundle, 1024);

        var (set, why) = WorkerBatchSize.Choose(new WorkerOptions { BatchSize = 3 }, bundle, () => 64 * GiB);
        var (sized, reason) = WorkerBatchSize.Choose(new WorkerOptions { WorkersPerMachine = 2 }, bundle, () => 4 * GiB);

        Assert.Equal((3, "Worker:BatchSize"), (set, why));
        Assert.Equal(PlainFloat32, job);
        Assert.Equal(6, sized); // 4 GiB over 2 workers: the 2 GiB of the test above
        Assert.StartsWith("CPU memory free for this worker 2048 MiB, weights 0 MiB, 262 MiB per job", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Mem_available_is_read_from_a_meminfo_file_and_missing_lines_or_files_give_nothing()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "MemTotal:       131072000 kB\nMemFree:         1000 kB\nMemAvailable:   23047664 kB\n");
            Assert.Equal(23_047_664L * 1024, CpuMemory.MemAvailable(path));
            File.WriteAllText(path, "MemTotal:       131072000 kB\n");
            Assert.Null(CpuMemory.MemAvailable(path));
        }
        finally
        {
            File.Delete(path);
        }

        Assert.Null(CpuMemory.MemAvailable(path));
    }
}
