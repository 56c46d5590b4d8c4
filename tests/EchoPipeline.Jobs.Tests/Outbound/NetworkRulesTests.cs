using System.Net;
using EchoPipeline.Jobs.Outbound;

namespace EchoPipeline.Jobs.Tests.Outbound;

public sealed class NetworkRulesTests
{
    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("10.1.2.3")]
    [InlineData("127.0.0.1")]
    [InlineData("100.64.0.1")]
    [InlineData("169.254.169.254")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.0.0.1")]
    [InlineData("192.0.2.1")]
    [InlineData("192.88.99.1")]
    [InlineData("192.168.1.1")]
    [InlineData("198.18.0.1")]
    [InlineData("198.51.100.1")]
    [InlineData("203.0.113.1")]
    [InlineData("224.0.0.1")]
    [InlineData("240.0.0.1")]
    [InlineData("255.255.255.255")]
    public void Private_loopback_link_local_and_reserved_IPv4_addresses_are_not_public(string address) =>
        Assert.False(NetworkRules.IsPublic(IPAddress.Parse(address)));

    /// <summary>168.63.129.16 answers DNS, DHCP and the VM agent inside every Azure virtual network.</summary>
    [Fact]
    public void The_Azure_wireserver_is_not_public() => Assert.False(NetworkRules.IsPublic(IPAddress.Parse("168.63.129.16")));

    [Theory]
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("fc00::1")]
    [InlineData("fd12:3456::1")]
    [InlineData("fe80::1")]
    [InlineData("fec0::1")]
    [InlineData("ff02::1")]
    [InlineData("100::1")]
    [InlineData("64:ff9b:1::1")]
    [InlineData("2001::1")]
    [InlineData("2001:2::1")]
    [InlineData("2001:db8::1")]
    [InlineData("3fff::1")]
    public void Private_loopback_link_local_and_reserved_IPv6_addresses_are_not_public(string address) =>
        Assert.False(NetworkRules.IsPublic(IPAddress.Parse(address)));

    /// <summary>A NAT64 gateway, a 6to4 relay or the host's own stack delivers these to the IPv4 address they carry.</summary>
    [Theory]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("::ffff:168.63.129.16")]
    [InlineData("::10.0.0.1")]
    [InlineData("::127.0.0.1")]
    [InlineData("::169.254.169.254")]
    [InlineData("::ffff:0:10.0.0.1")]
    [InlineData("64:ff9b::10.0.0.1")]
    [InlineData("64:ff9b::127.0.0.1")]
    [InlineData("64:ff9b::169.254.169.254")]
    [InlineData("64:ff9b::168.63.129.16")]
    [InlineData("2002:a00:1::1")]
    [InlineData("2002:7f00:1::")]
    [InlineData("2002:a9fe:a9fe::1")]
    [InlineData("2002:a83f:8110::1")]
    public void IPv6_addresses_carrying_a_non_public_IPv4_address_are_not_public(string address) =>
        Assert.False(NetworkRules.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("20.1.2.3")]
    [InlineData("100.128.0.1")]
    [InlineData("168.63.129.17")]
    [InlineData("172.32.0.1")]
    [InlineData("2606:4700::1111")]
    [InlineData("2001:4860:4860::8888")]
    [InlineData("2a00:1450:4001::1")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("::8.8.8.8")]
    [InlineData("64:ff9b::8.8.8.8")]
    [InlineData("2002:808:808::1")]
    public void Public_addresses_and_IPv6_addresses_carrying_a_public_IPv4_address_are_public(string address) =>
        Assert.True(NetworkRules.IsPublic(IPAddress.Parse(address)));
}
