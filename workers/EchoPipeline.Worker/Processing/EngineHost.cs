using EchoPipeline.Engine.Bundles;
using EchoPipeline.Engine.Generation;
using EchoPipeline.Engine.Generation.Watermarking;
using EchoPipeline.Provenance.Watermarking;
using EchoPipeline.Worker.Hosting;
using EchoPipeline.Worker.Memory;
using Microsoft.Extensions.Options;

namespace EchoPipeline.Worker.Processing;

/// <summary>
/// Owns the loaded model bundle and the engine with the deployment's watermark policy; loaded once when the worker
/// starts, before it receives anything.
/// </summary>
public sealed class EngineHost(IOptions<WorkerOptions> options, IOptions<WatermarkOptions> watermark, TimeProvider time, ILogger<EngineHost> logger) : IDisposable
{
    private EchoModel? _model;
    private EchoGenerator? _generator;

    public bool IsLoaded => _generator is not null;

    public EchoGenerator Generator => _generator ?? throw new InvalidOperationException("The model bundle has not been loaded yet.");

    /// <summary>Most jobs per engine batch: Worker:BatchSize, or what fits the device's free memory (set by <see cref="Load"/>).</summary>
    public int BatchSize { get; private set; }

    public void Load(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var bundle = ModelBundle.Load(
            settings.BundlePath,
            new BundleLoadOptions
            {
                ExecutionProvider = settings.ExecutionProvider, AllowCpuFallback = settings.AllowCpuFallback,
                IntraOpNumThreads = settings.EffectiveIntraOpThreads(Environment.ProcessorCount), InterOpNumThreads = 1,
                IntraOpSpinning = settings.IntraOpSpinning,
            },
            logger,
            cancellationToken);
        if (settings.BundleId is { Length: > 0 } expected && expected != bundle.Id)
        {
            bundle.Dispose();
            throw new BundleLoadException(settings.BundlePath,
                $"the bundle's id is '{bundle.Id}' but Worker:BundleId says '{expected}' (the id the ingest derives job ids with); deploy the matching bundle or set both to the same value.");
        }

        (BatchSize, var reason) = WorkerBatchSize.Choose(settings, bundle, CpuMemory.FreeBytes);
        WorkerLog.BatchSizeChosen(logger, BatchSize, reason);
        _model = EchoModel.FromBundle(bundle);
        var policy = new WatermarkPolicy { Enabled = watermark.Value.Enabled, Key = WatermarkKey.FromSecret(watermark.Value.Secret) };
        _generator = new EchoGenerator(_model, time, policy);
        WorkerLog.BundleLoaded(logger, _model.BundleId, _model.BundleSha256, bundle.ExecutionProvider.ToString());
        if (_generator.MarksOutputs)
        {
            WorkerLog.WatermarkOn(logger, WatermarkScheme.Name, policy.Key.Id);
            if (policy.Key.IsPublicDefault)
            {
                WorkerLog.WatermarkPublicKey(logger);
            }
        }
        else
        {
            WorkerLog.WatermarkOff(logger, policy.Enabled ? WatermarkStamp.DisabledByBundle : WatermarkStamp.DisabledByDeployment, _model.Watermark.Reason ?? "");
        }
    }

    public void Dispose() => _model?.Dispose();
}
