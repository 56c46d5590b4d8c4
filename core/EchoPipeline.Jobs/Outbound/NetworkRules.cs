using System.Net;
using System.Net.Sockets;

namespace EchoPipeline.Jobs.Outbound;

/// <summary>
/// Addresses a server-side request (a URL source, a webhook) must not reach unless configured to: loopback, private
/// (RFC 1918, IPv6 ULA), link-local (including the 169.254.169.254 metadata endpoint), Azure's wireserver
/// 168.63.129.16, carrier-grade NAT, unspecified, multicast, documentation, benchmarking and reserved ranges, and IPv6
/// addresses that merely carry one of those IPv4 addresses (mapped, compatible, translated, NAT64, 6to4).
/// </summary>
public static class NetworkRules
{
    public static bool IsPublic(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out var length))
        {
            return false;
        }

        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => IsPublicV4(bytes[..length]),
            AddressFamily.InterNetworkV6 => IsPublicV6(bytes[..length]),
            _ => false,
        };
    }

    private static bool IsPublicV4(ReadOnlySpan<byte> a) => a switch
    {
        [0 or 10 or 127, ..] => false, // "this network", private, loopback
        [100, var b, ..] when (b & 0xC0) == 64 => false, // 100.64.0.0/10 carrier-grade NAT
        [168, 63, 129, 16] => false, // Azure wireserver (DHCP, DNS, health probes, VM agent)
        [169, 254, ..] => false, // link-local, cloud metadata
        [172, var b, ..] when (b & 0xF0) == 16 => false, // 172.16.0.0/12
        [192, 0, 0 or 2, _] => false, // protocol assignments, documentation
        [192, 88, 99, _] => false, // 6to4 relay anycast
        [192, 168, ..] => false,
        [198, var b, ..] when (b & 0xFE) == 18 => false, // 198.18.0.0/15 benchmarking
        [198, 51, 100, _] or [203, 0, 113, _] => false, // documentation
        [>= 224, ..] => false, // multicast, reserved, broadcast
        _ => true,
    };

    private static bool IsPublicV6(ReadOnlySpan<byte> a)
    {
        // ::/64 holds no global unicast address; three of its forms carry an IPv4 address and are judged by it (a
        // gateway on the way delivers there): ::a.b.c.d compatible (:: and ::1 land in 0.0.0.0/8), ::ffff:a.b.c.d
        // mapped, ::ffff:0:a.b.c.d translated.
        if (a[..8].IndexOfAnyExcept((byte)0) < 0)
        {
            return a[8..12] is [0, 0, 0, 0] or [0, 0, 0xFF, 0xFF] or [0xFF, 0xFF, 0, 0] && IsPublicV4(a[12..]);
        }

        if (a[..12].SequenceEqual(Nat64WellKnownPrefix))
        {
            return IsPublicV4(a[12..]); // 64:ff9b::/96 NAT64 translates to the embedded address
        }

        if (a is [0x20, 0x02, ..])
        {
            return IsPublicV4(a[2..6]); // 2002::/16 6to4 tunnels to the embedded address
        }

        return a switch
        {
            [var first, ..] when (first & 0xE0) != 0x20 => false, // outside 2000::/3 global unicast: ULA, link-local, multicast, NAT64 local-use, discard
            [0x20, 0x01, < 0x02, ..] => false, // 2001::/23 IETF protocol assignments (Teredo, benchmarking, ORCHID)
            [0x20, 0x01, 0x0D, 0xB8, ..] => false, // 2001:db8::/32 documentation
            [0x3F, 0xFF, < 0x10, ..] => false, // 3fff::/20 documentation
            _ => true,
        };
    }

    private static ReadOnlySpan<byte> Nat64WellKnownPrefix => [0x00, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0];
}
