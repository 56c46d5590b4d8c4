using System.Diagnostics;
using System.Globalization;
using EchoPipeline.LocalServices;

namespace EchoPipeline.Cli.LocalPipeline;

/// <summary>The Functions custom handler started the way the Functions host starts it: FUNCTIONS_CUSTOMHANDLER_PORT set.</summary>
internal sealed class HandlerProcess : IAsyncDisposable
{
    private readonly ChildProcess _process;

    private HandlerProcess(ChildProcess process, Uri address)
    {
        _process = process;
        Address = address;
    }

    /// <summary>Where the host would post invocations (POST /{FunctionName}).</summary>
    public Uri Address { get; }

    public static async Task<HandlerProcess> StartAsync(string storageConnectionString, int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var executable = ServiceBuilds.HandlerExecutable;
        var process = ChildProcess.Start("functions handler", executable, [],
            new Dictionary<string, string?>
            {
                ["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(CultureInfo.InvariantCulture),
                ["EchoStorage"] = storageConnectionString,
                ["Logging__LogLevel__Default"] = "Warning",
            },
            Path.GetDirectoryName(executable));
        var handler = new HandlerProcess(process, new Uri($"http://127.0.0.1:{port}/"));
        try
        {
            await handler.WaitUntilReadyAsync(timeout, cancellationToken).ConfigureAwait(false);
            return handler;
        }
        catch
        {
            await handler.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    // The host pings GET / until the handler answers; so do we.
    private async Task WaitUntilReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new LocalPipelineException($"the functions handler exited at start: {_process.Tail()}");
            }

            try
            {
                using var response = await client.GetAsync("/", cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The 2 s probe timed out while it starts.
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }

        throw new LocalPipelineException($"the functions handler did not answer on {Address} within {timeout.TotalSeconds:0} s: {_process.Tail()}");
    }
}
