using System.Net;
using System.Text;
using EchoPipeline.Jobs.Outbound;
using EchoPipeline.Worker.Webhooks;

namespace EchoPipeline.Worker.Tests.Webhooks;

public sealed class WebhookSignerTests
{
    /// <summary>The example of the Standard Webhooks specification (secret, id, timestamp, body and signature as published).</summary>
    [Fact]
    public void SignsTheSpecificationExample()
    {
        var signer = new WebhookSigner("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");

        var signature = signer.Sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, Encoding.UTF8.GetBytes("{\"test\": 2432232314}"));

        Assert.Equal("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", signature);
    }

    [Fact]
    public void MalformedSecretIsRefusedNamingTheSetting()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new WebhookSigner("whsec_not base64!"));
        Assert.Contains("Webhooks:Secret", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1", false)]
    [InlineData("10.1.2.3", false)]
    [InlineData("172.16.0.1", false)]
    [InlineData("172.32.0.1", true)]
    [InlineData("192.168.1.1", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("::1", false)]
    [InlineData("fd00::1", false)]
    [InlineData("fe80::1", false)]
    [InlineData("::ffff:127.0.0.1", false)]
    [InlineData("8.8.8.8", true)]
    [InlineData("2606:4700::1111", true)]
    public void ClassifiesAddresses(string address, bool isPublic) =>
        Assert.Equal(isPublic, NetworkRules.IsPublic(IPAddress.Parse(address)));
}
