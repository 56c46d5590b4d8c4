using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using EchoPipeline.LocalServices;

namespace EchoPipeline.Worker.Tests.Webhooks;

/// <summary>
/// A loopback HTTP endpoint recording every request's headers, body and arrival time. It answers the n-th request with
/// the n-th scripted reply and 204 once the script has run out; requests are answered concurrently, so a held reply
/// does not hold up the next attempt.
/// </summary>
public sealed class WebhookReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _closing = new();
    private readonly WebhookReply[] _script;
    private readonly Task _loop;
    private int _received;

    public WebhookReceiver(int failFirst = 0)
        : this(Enumerable.Repeat(new WebhookReply(503), failFirst).ToArray())
    {
    }

    public WebhookReceiver(params WebhookReply[] script)
        : this(FreeUrl(), script)
    {
    }

    /// <summary>A receiver at <paramref name="url"/>: one from <see cref="FreeUrl"/>, used by a job while nobody listened there yet.</summary>
    public WebhookReceiver(Uri url, params WebhookReply[] script)
    {
        _script = script;
        Url = url;
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

                _ = Task.Run(() => AnswerAsync(context));
            }
        });
    }

    public Uri Url { get; }

    /// <summary>
    /// A receiver URL on a free port of <paramref name="host"/> (any 127.x address is loopback on Linux), with nobody
    /// listening yet; below the ephemeral range, so nothing else takes the port before a receiver starts there.
    /// </summary>
    public static Uri FreeUrl(string host = "127.0.0.1") => new($"http://{host}:{LoopbackPorts.FreeBelowEphemeralRange()}/hooks/");

    public ConcurrentQueue<ReceivedWebhook> Requests { get; } = new();

    public void Dispose()
    {
        _closing.Cancel();
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
        _closing.Dispose();
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        var index = Interlocked.Increment(ref _received) - 1;
        var reply = index < _script.Length ? _script[index] : new WebhookReply(204);
        try
        {
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            var headers = context.Request.Headers.AllKeys.ToDictionary(k => k!, k => context.Request.Headers[k]!, StringComparer.OrdinalIgnoreCase);
            Requests.Enqueue(new ReceivedWebhook(index, headers, body.ToArray(), TimeProvider.System.GetTimestamp(), reply.StatusCode));
            if (reply.Hold > TimeSpan.Zero)
            {
                await Task.Delay(reply.Hold, _closing.Token);
            }

            context.Response.StatusCode = reply.StatusCode;
            if (reply.RetryAfterSeconds is { } seconds)
            {
                context.Response.Headers["Retry-After"] = seconds.ToString(CultureInfo.InvariantCulture);
            }

            context.Response.Close();
        }
        catch (Exception ex) when (ex is OperationCanceledException or HttpListenerException or ObjectDisposedException or IOException)
        {
            // The receiver is closing, or the sender gave up on this attempt and hung up.
        }
    }
}

/// <summary>How the receiver answers one request: a status, optionally a Retry-After, optionally after holding it.</summary>
public sealed record WebhookReply(int StatusCode, int? RetryAfterSeconds = null, TimeSpan Hold = default);

/// <summary>One request as received and the status it is (or will be, once held) answered with; <see cref="Timestamp"/> is from <see cref="TimeProvider.GetTimestamp"/>.</summary>
public sealed record ReceivedWebhook(int Index, Dictionary<string, string> Headers, byte[] Body, long Timestamp, int StatusCode)
{
    public string Id => Headers["webhook-id"];
}
