using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace EchoPipeline.Testing;

/// <summary>
/// A private Azurite (blob, queue, table) on free loopback ports with in-memory storage, started from .deps/
/// (installed by eng/bootstrap.sh) and killed with its process tree on dispose.
/// </summary>
public sealed class AzuriteServer : IAsyncDisposable
{
    /// <summary>The emulator's public, documented account.</summary>
    public const string AccountName = "devstoreaccount1";

    /// <summary>The emulator's public, documented key (not a secret).</summary>
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private const int StartAttempts = 3;

    private readonly Process _process;
    private readonly string _folder;

    private AzuriteServer(Process process, string folder, string scheme, int[] ports, X509Certificate2? certificate)
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

    public static string ExecutablePath => Path.Combine(RepoPaths.Deps, "node_modules", ".bin", "azurite");

    public static async Task<AzuriteServer> StartAsync(AzuriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new AzuriteOptions();
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"Azurite is not installed ({ExecutablePath} is missing); run eng/bootstrap.sh.");
        }

        var folder = Directory.CreateTempSubdirectory("azurite-").FullName;
        var https = options.Https || options.OAuth;
        string certificatePath = "", keyPath = "";
        var certificate = https ? AzuriteCertificate.Create(folder, out certificatePath, out keyPath) : null;
        string failure = "";
        for (var attempt = 1; attempt <= StartAttempts; attempt++)
        {
            var ports = FreeLoopbackPorts(3);
            var log = new AzuriteLog();
            var process = Start(folder, ports, https ? (certificatePath, keyPath) : null, options.OAuth, log);
            bool ready;
            try
            {
                ready = await WaitForPortsAsync(process, ports, options.StartTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await StopAsync(process).ConfigureAwait(false);
                Directory.Delete(folder, recursive: true);
                throw;
            }

            if (ready)
            {
                return new AzuriteServer(process, folder, https ? "https" : "http", ports, certificate);
            }

            // Most likely another process took a port between probing and binding: try fresh ports.
            failure = log.Tail();
            await StopAsync(process).ConfigureAwait(false);
        }

        Directory.Delete(folder, recursive: true);
        throw new InvalidOperationException($"Azurite did not start after {StartAttempts} attempts. Last output:{Environment.NewLine}{failure}");
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(_process).ConfigureAwait(false);
        Certificate?.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    private static Process Start(string folder, int[] ports, (string Certificate, string Key)? tls, bool oauth, AzuriteLog log)
    {
        var startInfo = new ProcessStartInfo(ExecutablePath)
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] arguments =
        [
            "--silent", "--inMemoryPersistence", "--disableTelemetry",
            "--blobHost", "127.0.0.1", "--blobPort", $"{ports[0]}",
            "--queueHost", "127.0.0.1", "--queuePort", $"{ports[1]}",
            "--tableHost", "127.0.0.1", "--tablePort", $"{ports[2]}",
            .. tls is { } pair ? ["--cert", pair.Certificate, "--key", pair.Key] : Array.Empty<string>(),
            .. oauth ? ["--oauth", "basic"] : Array.Empty<string>(),
        ];
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        // Custom accounts from the environment would replace the well-known devstoreaccount1.
        startInfo.Environment.Remove("AZURITE_ACCOUNTS");
        var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {ExecutablePath}.");
        process.OutputDataReceived += (_, e) => log.Add(e.Data);
        process.ErrorDataReceived += (_, e) => log.Add(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static int[] FreeLoopbackPorts(int count)
    {
        // Hold all listeners at once so the ports are distinct.
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        listeners.ForEach(listener => listener.Start());
        var ports = listeners.Select(listener => ((IPEndPoint)listener.LocalEndpoint).Port).ToArray();
        listeners.ForEach(listener => listener.Stop());
        return ports;
    }

    private static async Task<bool> WaitForPortsAsync(Process process, int[] ports, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        var pending = ports.ToList();
        while (deadline.Elapsed < timeout && !process.HasExited)
        {
            foreach (var port in pending.ToList())
            {
                using var client = new TcpClient();
                try
                {
                    await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken).ConfigureAwait(false);
                    pending.Remove(port);
                }
                catch (SocketException)
                {
                    // Not listening yet.
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

    private static async Task StopAsync(Process process)
    {
        using (process)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }
}
