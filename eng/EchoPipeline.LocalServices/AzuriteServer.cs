using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;

namespace EchoPipeline.LocalServices;

/// <summary>
/// A private Azurite (blob, queue, table) on free loopback ports with in-memory storage: the storage account of a
/// local run and of the tests. Started from the checkout's .deps/ (installed by eng/bootstrap.sh); disposing stops it
/// and deletes its working folder.
/// </summary>
public sealed class AzuriteServer : IAsyncDisposable
{
    /// <summary>The emulator's public, documented account.</summary>
    public const string AccountName = "devstoreaccount1";

    /// <summary>The emulator's public, documented key (not a secret).</summary>
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private const int StartAttempts = 3;

    private readonly ChildProcess _process;
    private readonly string _folder;

    private AzuriteServer(ChildProcess process, string folder, string scheme, int[] ports, X509Certificate2? certificate)
    {
        _process = process;
        _folder = folder;
        BlobEndpoint = new Uri($"{scheme}://127.0.0.1:{ports[0]}/{AccountName}");
        QueueEndpoint = new Uri($"{scheme}://127.0.0.1:{ports[1]}/{AccountName}");
        TableEndpoint = new Uri($"{scheme}://127.0.0.1:{ports[2]}/{AccountName}");
        Certificate = certificate;
    }

    public Uri BlobEndpoint { get; }

    public Uri QueueEndpoint { get; }

    public Uri TableEndpoint { get; }

    /// <summary>The self-signed server certificate when started with HTTPS; clients must trust exactly this one.</summary>
    public X509Certificate2? Certificate { get; }

    /// <summary>Explicit-endpoint connection string with the emulator account key.</summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol={BlobEndpoint.Scheme};AccountName={AccountName};AccountKey={AccountKey};" +
        $"BlobEndpoint={BlobEndpoint};QueueEndpoint={QueueEndpoint};TableEndpoint={TableEndpoint};";

    /// <summary>Where eng/bootstrap.sh installs Azurite in a checkout.</summary>
    public static string InstalledPath(string repositoryRoot) => Path.Combine(repositoryRoot, ".deps", "node_modules", ".bin", "azurite");

    /// <exception cref="FileNotFoundException"><paramref name="executablePath"/> does not exist; the message says how to install it.</exception>
    /// <exception cref="InvalidOperationException">Azurite did not answer on its ports; the message holds its last output.</exception>
    public static async Task<AzuriteServer> StartAsync(string executablePath, AzuriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new AzuriteOptions();
        if (!File.Exists(executablePath))
        {
            throw new FileNotFoundException($"Azurite is not installed ({executablePath} is missing): run eng/bootstrap.sh.", executablePath);
        }

        var folder = Directory.CreateTempSubdirectory("azurite-").FullName;
        var https = options.Https || options.OAuth;
        string certificatePath = "", keyPath = "";
        var certificate = https ? AzuriteCertificate.Create(folder, out certificatePath, out keyPath) : null;
        var failure = "";
        try
        {
            for (var attempt = 1; attempt <= StartAttempts; attempt++)
            {
                var ports = LoopbackPorts.Free(3);
                string[] arguments =
                [
                    "--silent", "--inMemoryPersistence", "--disableTelemetry", "--skipApiVersionCheck",
                    "--blobHost", "127.0.0.1", "--blobPort", $"{ports[0]}",
                    "--queueHost", "127.0.0.1", "--queuePort", $"{ports[1]}",
                    "--tableHost", "127.0.0.1", "--tablePort", $"{ports[2]}",
                    .. https ? ["--cert", certificatePath, "--key", keyPath] : Array.Empty<string>(),
                    .. options.OAuth ? ["--oauth", "basic"] : Array.Empty<string>(),
                ];

                // Custom accounts from the environment would replace the well-known devstoreaccount1.
                var process = ChildProcess.Start("azurite", executablePath, arguments, new Dictionary<string, string?> { ["AZURITE_ACCOUNTS"] = null }, folder);
                try
                {
                    if (await WaitForPortsAsync(process, ports, options.StartTimeout, cancellationToken).ConfigureAwait(false))
                    {
                        return new AzuriteServer(process, folder, https ? "https" : "http", ports, certificate);
                    }
                }
                catch
                {
                    await process.DisposeAsync().ConfigureAwait(false);
                    throw;
                }

                // Most likely another process took a port between probing and binding: try fresh ports.
                failure = process.Tail();
                await process.DisposeAsync().ConfigureAwait(false);
            }
        }
        catch
        {
            certificate?.Dispose();
            DeleteFolder(folder);
            throw;
        }

        certificate?.Dispose();
        DeleteFolder(folder);
        throw new InvalidOperationException($"Azurite did not start ({StartAttempts} attempts); its last output:{Environment.NewLine}{failure}");
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync().ConfigureAwait(false);
        Certificate?.Dispose();
        DeleteFolder(_folder);
    }

    private static async Task<bool> WaitForPortsAsync(ChildProcess process, int[] ports, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var pending = ports.ToList();
        while (clock.Elapsed < timeout && !process.HasExited)
        {
            foreach (var port in pending.ToList())
            {
                if (await LoopbackPorts.AcceptsAsync(port, cancellationToken).ConfigureAwait(false))
                {
                    pending.Remove(port);
                }
            }

            if (pending.Count == 0)
            {
                return true;
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }

        return false;
    }

    private static void DeleteFolder(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}
