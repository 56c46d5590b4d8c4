using System.Collections.Concurrent;
using System.Net;
using System.Text;
using EchoPipeline.LocalServices;

namespace EchoPipeline.Jobs.Tests.Support;

/// <summary>A real HTTP server on a free loopback port that answers with scripted responses and records the requests it got.</summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    private readonly HttpListener _listener;
    private readonly Func<int, LoopbackResponse> _respond;
    private readonly Task _loop;

    private LoopbackServer(HttpListener listener, int port, Func<int, LoopbackResponse> respond)
    {
        _listener = listener;
        _respond = respond;
        Endpoint = new Uri($"http://127.0.0.1:{port}/");
        _loop = Task.Run(ServeAsync);
    }

    public Uri Endpoint { get; }

    /// <summary>Headers of each request received, in order.</summary>
    public ConcurrentQueue<IReadOnlyDictionary<string, string>> Requests { get; } = new();

    /// <summary>Starts a server whose n-th response (0-based) is <paramref name="respond"/>(n).</summary>
    public static LoopbackServer Start(Func<int, LoopbackResponse> respond)
    {
        for (var attempt = 0; ; attempt++)
        {
            var port = LoopbackPorts.Free(1)[0];
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return new LoopbackServer(listener, port, respond);
            }
            catch (HttpListenerException) when (attempt < 3)
            {
                listener.Close();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _listener.Close();
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            var context = await _listener.GetContextAsync();
            Requests.Enqueue(context.Request.Headers.AllKeys.ToDictionary(key => key!, key => context.Request.Headers[key] ?? "", StringComparer.OrdinalIgnoreCase));
            var reply = _respond(Requests.Count - 1);
            context.Response.StatusCode = reply.Status;
            foreach (var (name, value) in reply.Headers ?? new Dictionary<string, string>())
            {
                context.Response.Headers[name] = value;
            }

            var body = Encoding.UTF8.GetBytes(reply.Body ?? "");
            context.Response.ContentLength64 = body.Length;
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
    }
}

internal sealed record LoopbackResponse(int Status, Dictionary<string, string>? Headers = null, string? Body = null);
