using System.ComponentModel.DataAnnotations;
using EchoPipeline.Engine.Bundles;

namespace EchoPipeline.Worker.Hosting;

/// <summary>The <c>Worker</c> configuration section (environment: <c>Worker__BatchSize</c>, ...).</summary>
public sealed class WorkerOptions
{
    public const string SectionName = "Worker";

    /// <summary>
    /// Most windows in one engine batch (B): a picture's variation is one window, a long video's shot a chain of them. Empty: the worker picks it from the model and the free memory of its
    /// device (<see cref="DeviceMemoryMiB"/> on CUDA) and logs it at start-up (docs/performance.md).
    /// </summary>
    [Range(1, 32, ErrorMessage = "Worker:BatchSize must be between 1 and 32.")]
    public int? BatchSize { get; set; }

    /// <summary>
    /// Memory of the CUDA device this worker may use, in MiB (free memory before the bundle loads; divided among
    /// <see cref="WorkersPerMachine"/>). The worker cannot ask the device without the GPU driver's library, so this says
    /// it; without it and without <see cref="BatchSize"/> a CUDA worker runs batches of 4.
    /// </summary>
    [Range(typeof(long), "1", "9223372036854775807", ErrorMessage = "Worker:DeviceMemoryMiB must be positive.")]
    public long? DeviceMemoryMiB { get; set; }

    /// <summary>The transformer's width, which bundle.json does not record (1024 at the paper's size); sizes the batch.</summary>
    [Range(1, 65536, ErrorMessage = "Worker:ModelWidth must be between 1 and 65536.")]
    public int ModelWidth { get; set; } = 1024;

    /// <summary>How long a partly filled batch waits for more jobs (W, milliseconds).</summary>
    [Range(0, int.MaxValue, ErrorMessage = "Worker:BatchWaitMs must not be negative.")]
    public int BatchWaitMs { get; set; } = 250;

    /// <summary>How long a received message stays hidden; renewed every third of it while its job runs.</summary>
    [Range(typeof(TimeSpan), "00:00:03", "7.00:00:00", ErrorMessage = "Worker:VisibilityTimeout must be between 00:00:03 (renewal runs every third of it) and 7.00:00:00.")]
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>After this many dequeues a failing job's message goes to <c>echo-jobs-poison</c>.</summary>
    [Range(1, int.MaxValue, ErrorMessage = "Worker:MaxDequeueCount must be at least 1.")]
    public int MaxDequeueCount { get; set; } = 5;

    /// <summary>How long a failed attempt's message stays hidden before the next attempt.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Longest pause between receives while the queue is empty (the pause doubles from 100 ms up to this).</summary>
    public TimeSpan MaxIdleDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The model bundle folder (bundle.json and its ONNX files).</summary>
    public string BundlePath { get; set; } = "/models/bundle";

    /// <summary>
    /// When set, the id the bundle at <see cref="BundlePath"/> must have: the ingest's <c>Ingest:BundleId</c>, which
    /// every job id is derived with (infra sets both from one value). The worker does not start with another bundle.
    /// </summary>
    public string? BundleId { get; set; }

    public BundleExecutionProvider ExecutionProvider { get; set; } = BundleExecutionProvider.Cpu;

    /// <summary>Run on the CPU (and log why) when CUDA was asked for but is unavailable.</summary>
    public bool AllowCpuFallback { get; set; }

    /// <summary>Grace period on SIGTERM for in-flight jobs; after it their messages are made visible again at once.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Port of the health endpoint (<c>GET /healthz</c>); 0 picks a free one, -1 turns it off.</summary>
    [Range(-1, 65535, ErrorMessage = "Worker:HealthPort must be between -1 and 65535.")]
    public int HealthPort { get; set; } = 8080;

    /// <summary>
    /// Generated batches that may wait for the finisher (outputs, records) while the next batch generates; 1 overlaps
    /// one batch's uploads with the next one's generation and keeps at most three batches' audio in memory.
    /// </summary>
    [Range(1, 8, ErrorMessage = "Worker:PipelineDepth must be between 1 and 8.")]
    public int PipelineDepth { get; set; } = 1;

    /// <summary>
    /// Threads each ONNX Runtime session uses inside an operator, and the most the engine's own CPU work (sampling,
    /// Griffin-Lim, the watermark) runs on; empty: this machine's cores divided by <see cref="WorkersPerMachine"/>, so
    /// the workers sharing a machine do not oversubscribe it.
    /// </summary>
    [Range(1, 256, ErrorMessage = "Worker:IntraOpThreads must be between 1 and 256.")]
    public int? IntraOpThreads { get; set; }

    /// <summary>Whether ONNX Runtime's intra-op threads spin while waiting for work (see <c>BundleLoadOptions.IntraOpSpinning</c>).</summary>
    public bool IntraOpSpinning { get; set; }

    /// <summary>Worker processes sharing this machine's cores (the default of <see cref="IntraOpThreads"/> divides by it).</summary>
    [Range(1, 256, ErrorMessage = "Worker:WorkersPerMachine must be between 1 and 256.")]
    public int WorkersPerMachine { get; set; } = 1;

    /// <summary>Where videos are staged for muxing; the system temp folder when empty.</summary>
    public string? TempDirectory { get; set; }

    internal TimeSpan RenewInterval => VisibilityTimeout / 3;

    /// <summary>The intra-op thread count the sessions get: the option, else an even share of the cores.</summary>
    internal int EffectiveIntraOpThreads(int processorCount) => IntraOpThreads ?? Math.Max(1, processorCount / WorkersPerMachine);
}
