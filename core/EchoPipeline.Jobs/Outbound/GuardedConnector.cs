using System.Net;
using System.Net.Sockets;

namespace EchoPipeline.Jobs.Outbound;

/// <summary>
/// SocketsHttpHandler.ConnectCallback that resolves the host itself and connects only to public addresses, so
/// the check holds for redirects and cannot be dodged by DNS rebinding between a check and the connect.
/// </summary>
public static class GuardedConnector
{
    /// <summary>A handler whose every connection goes through <see cref="ConnectAsync"/>; redirects are the caller's choice.</summary>
    public static SocketsHttpHandler CreateHandler(bool allowPrivate, bool allowAutoRedirect) => new()
    {
        AllowAutoRedirect = allowAutoRedirect,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectCallback = (context, cancellationToken) => ConnectAsync(context.DnsEndPoint, allowPrivate, cancellationToken),
    };

    public static async ValueTask<Stream> ConnectAsync(DnsEndPoint endPoint, bool allowPrivate, CancellationToken cancellationToken)
    {
        var addresses = IPAddress.TryParse(endPoint.Host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(endPoint.Host, cancellationToken).ConfigureAwait(false);
        var allowed = allowPrivate ? addresses : [.. addresses.Where(NetworkRules.IsPublic)];
        if (allowed.Length == 0)
        {
            throw new PrivateAddressException(
                $"{endPoint.Host} resolves only to private, loopback or link-local addresses ({string.Join(", ", addresses.Select(a => a.ToString()))}).");
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
