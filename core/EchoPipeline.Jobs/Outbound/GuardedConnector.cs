using System.Net;
using System.Net.Sockets;

namespace EchoPipeline.Jobs.Outbound;

/// <summary>
/// SocketsHttpHandler.ConnectCallback that resolves the host itself and connects only to public addresses, so
/// the check holds for redirects and cannot be dodged by DNS rebinding between a check and the connect. A refusal
/// never names the addresses a name resolved to: callers see it, and it must not answer their questions about
/// internal DNS.
/// </summary>
public static class GuardedConnector
{
    /// <summary>Most of an unread response body drained to keep its connection; beyond it the connection is closed.</summary>
    internal const int MaxResponseDrainBytes = 16 * 1024;

    /// <summary>
    /// A handler whose every connection goes through <see cref="ConnectAsync"/>; redirects are the caller's choice.
    /// No proxy: through one, the guard would judge the proxy's address and the proxy would reach the private target.
    /// </summary>
    public static SocketsHttpHandler CreateHandler(bool allowPrivate, bool allowAutoRedirect) => new()
    {
        AllowAutoRedirect = allowAutoRedirect,
        UseProxy = false,
        MaxResponseDrainSize = MaxResponseDrainBytes,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectCallback = (context, cancellationToken) => ConnectAsync(context.DnsEndPoint, allowPrivate, cancellationToken),
    };

    /// <summary>The guard's refusal, which SocketsHttpHandler wraps in an HttpRequestException; null for any other failure.</summary>
    public static PrivateAddressException? FindRefusal(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is PrivateAddressException refused)
            {
                return refused;
            }
        }

        return null;
    }

    public static async ValueTask<Stream> ConnectAsync(DnsEndPoint endPoint, bool allowPrivate, CancellationToken cancellationToken)
    {
        var addresses = IPAddress.TryParse(endPoint.Host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(endPoint.Host, cancellationToken).ConfigureAwait(false);
        var allowed = allowPrivate ? addresses : [.. addresses.Where(NetworkRules.IsPublic)];
        if (allowed.Length == 0)
        {
            throw new PrivateAddressException($"{endPoint.Host} resolves to a private/loopback address; only public addresses may be reached.");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, endPoint.Port, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

/// <summary>The target (a source download, a webhook) is on a network the pipeline must not reach.</summary>
public sealed class PrivateAddressException(string message) : IOException(message);
