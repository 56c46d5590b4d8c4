using EchoPipeline.Jobs;
using EchoPipeline.Storage;
using Microsoft.Extensions.Options;

namespace EchoPipeline.Worker.Hosting;

/// <summary>Creates the pipeline's containers and queues at start when <see cref="EchoStorageOptions.CreateIfMissing"/> (Azurite starts empty).</summary>
internal sealed class StorageProvisioner(StorageAccount account, IOptions<EchoStorageOptions> options)
{
    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.CreateIfMissing)
        {
            return;
        }

        foreach (var container in StorageNames.Containers)
        {
            await account.GetBlobContainerClient(container).CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var queue in StorageNames.Queues)
        {
            await account.GetQueueClient(queue).CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
