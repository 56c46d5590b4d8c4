using System.Net;
using System.Net.Sockets;

namespace EchoPipeline.LocalServices;

/// <summary>Ports on 127.0.0.1 for the local services.</summary>
public static class LoopbackPorts
{
    /// <summary>Distinct free ports (all listeners are held at once so none repeats).</summary>
    public static int[] Free(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        listeners.ForEach(listener => listener.Start());
        var ports = listeners.Select(listener => ((IPEndPoint)listener.LocalEndpoint).Port).ToArray();
        listeners.ForEach(listener => listener.Stop());
        return ports;
    }

    /// <summary>
    /// A free port below the kernel's ephemeral range, for a listener that stays down a while and must then come back on
    /// the same port: the kernel never picks such a port by itself, neither for another listener bound to port 0 nor as
    /// an outgoing connection's source port, so it is still free when the listener starts. Where the range cannot be
    /// read, or leaves no room below it, a port from <see cref="Free"/>.
    /// </summary>
    public static int FreeBelowEphemeralRange()
    {
        const int lowest = 10000;
        var start = EphemeralRangeStart();
        for (var attempt = 0; start > lowest + 100 && attempt < 100; attempt++)
        {
            var port = Random.Shared.Next(lowest, start);
            if (IsFree(port))
            {
                return port;
            }
        }

        return Free(1)[0];
    }

    /// <summary>The first port of Linux's ephemeral range (ip_local_port_range), or 0 where it cannot be read.</summary>
    public static int EphemeralRangeStart()
    {
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            return int.TryParse(range[0], System.Globalization.CultureInfo.InvariantCulture, out var start) ? start : 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or IndexOutOfRangeException)
        {
            return 0;
        }
    }

    /// <summary>True when nothing listens on <paramref name="port"/> (a listener could bind it just now).</summary>
    public static bool IsFree(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        try
        {
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        finally
        {
            listener.Stop();
        }
    }

    /// <summary>True once something accepts connections on the port.</summary>
    public static async Task<bool> AcceptsAsync(int port, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
