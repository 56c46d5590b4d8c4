using System.Net;
using System.Net.Sockets;

namespace EchoPipeline.Jobs.Outbound;

/// <summary>
/// Addresses a server-side download must not reach unless configured to: loopback, private (RFC 1918, IPv6 ULA),
/// link-local (including the 169.254.169.254 metadata endpoint), carrier-grade NAT, unspecified, multicast and
/// reserved ranges.
/// </summary>
public static class NetworkRules
{
    public static bool IsPublic(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast))
        {
            return false;
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var b = address.GetAddressBytes();
            return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast
                     || (b[0] & 0xFE) == 0xFC // fc00::/7 unique local
                     || (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8)); // 2001:db8::/32 documentation
        }

        var v4 = address.GetAddressBytes();
        return v4[0] switch
        {
            0 or 10 or 127 => false,
            100 when (v4[1] & 0xC0) == 64 => false, // 100.64.0.0/10 carrier-grade NAT
            169 when v4[1] == 254 => false, // link-local, cloud metadata
            172 when (v4[1] & 0xF0) == 16 => false,
            192 when v4[1] == 168 => false,
            192 when v4[1] == 0 && v4[2] is 0 or 2 => false, // 192.0.0.0/24 protocol assignments, 192.0.2.0/24 documentation
            198 when (v4[1] & 0xFE) == 18 => false, // 198.18.0.0/15 benchmarking
            >= 224 => false, // multicast and reserved
            _ => true,
        };
    }
}
