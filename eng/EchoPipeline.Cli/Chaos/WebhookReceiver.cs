using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EchoPipeline.LocalServices;

namespace EchoPipeline.Cli.Chaos;

/// <summary>
/// The callback target of the chaos jobs, on loopback: down (nothing listens on its port) until <see cref="StartSlow"/>,
/// then slow (each answer waits), then up. It checks each delivery's Standard Webhooks signature and counts, per
/// webhook-id, the deliveries it answered 2xx, and which jobs they were for.
/// </summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private static readonly TimeSpan SlowAnswer = TimeSpan.FromSeconds(2);
    private readonly HttpListener _listener = new();
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly ConcurrentDictionary<string, int> _acceptedById = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _jobsDelivered = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private Task _serving = Task.CompletedTask;
    private volatile bool _slow;
    private int _badSignatures;

    public WebhookReceiver()
    {
        // Not an ephemeral port: while the receiver is down, another listener or an outgoing connection could take one,
        // and the receiver could not come back up (a CI run once failed so).
        var port = LoopbackPorts.FreeBelowEphemeralRange();
        CallbackUrl = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/chaos/hooks/");
        _listener.Prefixes.Add(CallbackUrl.AbsoluteUri);
    }

    public Uri CallbackUrl { get; }

    /// <summary>The workers' <c>Webhooks:Secret</c>: a fresh key per run.</summary>
    public string Secret => "whsec_" + Convert.ToBase64String(_key);

    public int BadSignatures => _badSignatures;

    public IReadOnlyDictionary<string, int> AcceptedById => _acceptedById;

    public bool Delivered(string jobId) => _jobsDelivered.ContainsKey(jobId);

    /// <summary>Starts listening, answering each delivery after a pause.</summary>
    public void StartSlow()
    {
        _slow = true;
        _listener.Start();
        _serving = Task.Run(() => ServeAsync(_stopping.Token));
    }

    public void SpeedUp() => _slow = false;

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_listener.IsListening)
        {
            _listener.Stop();
        }

        await _serving.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _listener.Close();
        _stopping.Dispose();
    }

    private async Task ServeAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            // Each delivery on its own: a slow answer must not hold the next connection.
            _ = Task.Run(() => AnswerAsync(context, cancellationToken), cancellationToken);
        }
    }

    private async Task AnswerAsync(HttpListenerContext context, CancellationToken cancellationToken)
    {
        try
        {
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body, cancellationToken).ConfigureAwait(false);
            if (_slow)
            {
                await Task.Delay(SlowAnswer, cancellationToken).ConfigureAwait(false);
            }

            var id = context.Request.Headers["webhook-id"] ?? "";
            if (!SignatureIsValid(id, context.Request.Headers["webhook-timestamp"], context.Request.Headers["webhook-signature"], body.ToArray()))
            {
                Interlocked.Increment(ref _badSignatures);
                context.Response.StatusCode = 401;
                context.Response.Close();
                return;
            }

            context.Response.StatusCode = 204;
            context.Response.Close();
            _acceptedById.AddOrUpdate(id, 1, (_, n) => n + 1);
            if (JobIdOf(body.ToArray()) is { } jobId)
            {
                _jobsDelivered.TryAdd(jobId, 0);
            }
        }
        catch (Exception e) when (e is HttpListenerException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            // The sender hung up or the run is over: the delivery counts as not answered, which the outbox retries.
        }
    }

    private bool SignatureIsValid(string id, string? timestamp, string? signatures, byte[] body)
    {
        if (id.Length == 0 || timestamp is null || signatures is null)
        {
            return false;
        }

        var signed = Encoding.UTF8.GetBytes($"{id}.{timestamp}.").Concat(body).ToArray();
        var expected = Encoding.ASCII.GetBytes("v1," + Convert.ToBase64String(HMACSHA256.HashData(_key, signed)));
        return signatures.Split(' ').Any(s => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(s), expected));
    }

    private static string? JobIdOf(byte[] body)
    {
        try
        {
            using var record = JsonDocument.Parse(body);
            return record.RootElement.TryGetProperty("id", out var id) ? id.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
