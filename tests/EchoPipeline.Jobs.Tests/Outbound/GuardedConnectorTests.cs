using System.Net;
using EchoPipeline.Jobs.Outbound;
using EchoPipeline.Jobs.Tests.Support;
using EchoPipeline.LocalServices;

namespace EchoPipeline.Jobs.Tests.Outbound;

public sealed class GuardedConnectorTests
{
    /// <summary>The caller sees the refusal; naming what "localhost" (or an internal name) resolved to would answer questions about internal DNS.</summary>
    [Fact]
    public async Task A_refusal_names_the_host_but_not_the_addresses_it_resolves_to()
    {
        var endPoint = new DnsEndPoint("localhost", LoopbackPorts.Free(1)[0]);

        var refusal = await Assert.ThrowsAsync<PrivateAddressException>(async () => await GuardedConnector.ConnectAsync(endPoint, allowPrivate: false, CancellationToken.None));

        Assert.Equal("localhost resolves to a private/loopback address; only public addresses may be reached.", refusal.Message);
        Assert.DoesNotContain("127.0.0.1", refusal.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("::1", refusal.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Through a proxy the guard would judge the proxy's address and the proxy would reach the private target; the
    /// handler must connect to the target itself even when a proxy is configured (HTTP_PROXY sets the default one).
    /// </summary>
    [Fact]
    public async Task The_handler_connects_to_the_target_itself_even_when_a_proxy_is_configured()
    {
        await using var target = LoopbackServer.Start(_ => new LoopbackResponse(200, Body: "target"));
        await using var proxy = LoopbackServer.Start(_ => new LoopbackResponse(200, Body: "proxy"));
        using var handler = GuardedConnector.CreateHandler(allowPrivate: true, allowAutoRedirect: false);
        handler.Proxy = new WebProxy(proxy.Endpoint);
        using var client = new HttpClient(handler);

        var body = await client.GetStringAsync(target.Endpoint);

        Assert.Equal("target", body);
        Assert.Single(target.Requests);
        Assert.Empty(proxy.Requests);
    }
}
