using Microsoft.Extensions.Options;

namespace EchoPipeline.Jobs.Storage;

/// <summary>
/// Creates the pipeline's containers and queues once per process when <see cref="EchoStorageOptions.CreateIfMissing"/>
/// (infra creates them in Azure; Azurite starts empty). Both hosts use it: the worker at start, the functions lazily.
/// </summary>
public sealed class StorageProvisioner(EchoStorage storage, IOptions<EchoStorageOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile bool _done = !options.Value.CreateIfMissing;

    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        if (_done)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_done)
            {
                foreach (var container in StorageNames.Containers)
                {
                    await storage.Container(container).CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                }

                foreach (var queue in StorageNames.Queues)
                {
                    await storage.Queue(queue).CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                }

                _done = true;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}
