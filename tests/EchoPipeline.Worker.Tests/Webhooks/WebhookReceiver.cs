using System.Collections.Concurrent;
using System.Net;
using EchoPipeline.LocalServices;

namespace EchoPipeline.Worker.Tests.Webhooks;

/// <summary>A loopback HTTP endpoint recording every request's headers and body.</summary>
public sealed class WebhookReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;

    public WebhookReceiver(int failFirst = 0)
    {
        var port = LoopbackPorts.Free(1)[0];
        Url = new Uri($"http://127.0.0.1:{port}/hooks/");
        _listener.Prefixes.Add(Url.AbsoluteUri);
        _listener.Start();
        _loop = Task.Run(async () =>
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                var headers = context.Request.Headers.AllKeys.ToDictionary(k => k!, k => context.Request.Headers[k]!, StringComparer.OrdinalIgnoreCase);
                Requests.Enqueue((headers, body.ToArray()));
                context.Response.StatusCode = Requests.Count <= failFirst ? 503 : 204;
                context.Response.Close();
            }
        });
    }

    public Uri Url { get; }

    public ConcurrentQueue<(Dictionary<string, string> Headers, byte[] Body)> Requests { get; } = new();

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}
