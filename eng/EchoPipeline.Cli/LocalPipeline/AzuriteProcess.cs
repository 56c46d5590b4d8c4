using System.Diagnostics;

namespace EchoPipeline.Cli.LocalPipeline;

/// <summary>Azurite (blob + queue) in memory on free loopback ports: the storage account of a local run.</summary>
internal sealed class AzuriteProcess : IAsyncDisposable
{
    /// <summary>The emulator's public, documented account and key (not secrets).</summary>
    private const string AccountName = "devstoreaccount1";
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private const int StartAttempts = 3;

    private readonly ChildProcess _process;
    private readonly string _folder;

    private AzuriteProcess(ChildProcess process, string folder, int blobPort, int queuePort)
    {
        _process = process;
        _folder = folder;
        ConnectionString = $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
            $"BlobEndpoint=http://127.0.0.1:{blobPort}/{AccountName};QueueEndpoint=http://127.0.0.1:{queuePort}/{AccountName};";
    }

    public string ConnectionString { get; }

    public static string ExecutablePath => Path.Combine(RepoLayout.Root, ".deps", "node_modules", ".bin", "azurite");

    public static async Task<AzuriteProcess> StartAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new LocalPipelineException($"Azurite is not installed ({ExecutablePath} is missing): run eng/bootstrap.sh.");
        }

        var folder = Directory.CreateTempSubdirectory("echopipe-azurite-").FullName;
        var lastOutput = "";
        for (var attempt = 1; attempt <= StartAttempts; attempt++)
        {
            var ports = LoopbackPorts.Free(3);
            var process = ChildProcess.Start("azurite", ExecutablePath,
                [
                    "--silent", "--inMemoryPersistence", "--disableTelemetry", "--skipApiVersionCheck",
                    "--blobHost", "127.0.0.1", "--blobPort", $"{ports[0]}",
                    "--queueHost", "127.0.0.1", "--queuePort", $"{ports[1]}",
                    "--tableHost", "127.0.0.1", "--tablePort", $"{ports[2]}",
                ],
                new Dictionary<string, string>(), folder);
            if (await WaitForPortsAsync(process, ports, timeout, cancellationToken).ConfigureAwait(false))
            {
                return new AzuriteProcess(process, folder, ports[0], ports[1]);
            }

            // Most likely another program took a port between probing and binding: try fresh ones.
            lastOutput = process.Tail();
            await process.DisposeAsync().ConfigureAwait(false);
        }

        throw new LocalPipelineException($"Azurite did not start ({StartAttempts} attempts); its last output: {lastOutput}");
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync().ConfigureAwait(false);
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover empty temp folder is harmless.
        }
    }

    private static async Task<bool> WaitForPortsAsync(ChildProcess process, int[] ports, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout && !process.HasExited)
        {
            var open = 0;
            foreach (var port in ports)
            {
                open += await LoopbackPorts.AcceptsAsync(port, cancellationToken).ConfigureAwait(false) ? 1 : 0;
            }

            if (open == ports.Length)
            {
                return true;
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }

        return false;
    }
}
