using System.Net;
using System.Net.Sockets;
using EchoPipeline.Cli.Chaos;
using EchoPipeline.LocalServices;

namespace EchoPipeline.Cli.Tests.Chaos;

public sealed class WebhookReceiverTests
{
    [Fact]
    public async Task While_down_it_refuses_connections_on_a_port_the_kernel_never_hands_out_then_answers_there()
    {
        await using var receiver = new WebhookReceiver();
        var port = receiver.CallbackUrl.Port;

        var refused = await Assert.ThrowsAsync<SocketException>(async () =>
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port);
        });
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        if (LoopbackPorts.EphemeralRangeStart() is > 10100 and var start)
        {
            Assert.InRange(port, 10000, start - 1);
        }

        receiver.StartSlow();
        receiver.SpeedUp();

        using var http = new HttpClient();
        using var reply = await http.PostAsync(receiver.CallbackUrl, new StringContent("{}"));
        Assert.Equal(HttpStatusCode.Unauthorized, reply.StatusCode); // unsigned, so refused by the receiver itself
    }
}
