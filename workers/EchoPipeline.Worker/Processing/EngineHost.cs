using EchoPipeline.Engine.Bundles;
using EchoPipeline.Engine.Generation;
using EchoPipeline.Worker.Hosting;
using Microsoft.Extensions.Options;

namespace EchoPipeline.Worker.Processing;

/// <summary>Owns the loaded model bundle; loaded once when the worker starts, before it receives anything.</summary>
public sealed class EngineHost(IOptions<WorkerOptions> options, TimeProvider time, ILogger<EngineHost> logger) : IDisposable
{
    private EchoModel? _model;
    private EchoGenerator? _generator;

    public bool IsLoaded => _generator is not null;

    public EchoGenerator Generator => _generator ?? throw new InvalidOperationException("The model bundle has not been loaded yet.");

    public void Load(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var bundle = ModelBundle.Load(
            settings.BundlePath,
            new BundleLoadOptions { ExecutionProvider = settings.ExecutionProvider, AllowCpuFallback = settings.AllowCpuFallback },
            logger,
            cancellationToken);
        _model = EchoModel.FromBundle(bundle);
        _generator = new EchoGenerator(_model, time);
        WorkerLog.BundleLoaded(logger, _model.BundleId, _model.BundleSha256, bundle.ExecutionProvider.ToString());
    }

    public void Dispose() => _model?.Dispose();
}
