using System.Net;
using System.Net.Sockets;

namespace EchoPipeline.Worker.Webhooks;

/// <summary>Thrown when a callback target resolves only to addresses the configuration does not allow.</summary>
public sealed class CallbackRefusedException : Exception
{
    public CallbackRefusedException()
        : this("The callback target is not allowed.")
    {
    }

    public CallbackRefusedException(string message)
        : base(message)
    {
    }

    public CallbackRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// Connects webhook requests only to allowed addresses. The check runs on the addresses actually connected to (in the
/// handler's connect callback), so a name that resolves differently later (DNS rebinding) cannot slip through.
/// </summary>
internal static class CallbackTargetGuard
{
    public static SocketsHttpHandler CreateHandler(bool allowPrivate) => new()
    {
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectCallback = async (context, cancellationToken) =>
        {
            var host = context.DnsEndPoint.Host;
            var addresses = IPAddress.TryParse(host, out var literal)
                ? [literal]
                : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
            var allowed = addresses.Where(a => allowPrivate || IsPublic(a)).ToArray();
            if (allowed.Length == 0)
            {
                throw new CallbackRefusedException(
                    $"Callback host '{host}' resolves to {string.Join(", ", addresses.Select(a => a.ToString()))}: loopback/private/link-local targets are refused (Webhooks:AllowPrivateTargets is false).");
            }

            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };

    /// <summary>False for loopback, RFC 1918, carrier-grade NAT, link-local (cloud metadata), IPv6 ULA/link/site-local, multicast, unspecified.</summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            return false;
        }

        var b = address.GetAddressBytes();
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || (b[0] & 0xFE) == 0xFC);
        }

        return b[0] switch
        {
            0 or 10 or 127 => false,
            100 => (b[1] & 0xC0) != 64,
            169 => b[1] != 254,
            172 => (b[1] & 0xF0) != 16,
            192 => b[1] != 168,
            >= 224 => false,
            _ => true,
        };
    }
}
