using System.Text;
using EchoPipeline.Worker.Webhooks;

namespace EchoPipeline.Worker.Tests.Webhooks;

public sealed class WebhookSignerTests
{
    /// <summary>The example of the Standard Webhooks specification (secret, id, timestamp, body and signature as published).</summary>
    [Fact]
    public void Signs_the_specification_example()
    {
        var signer = new WebhookSigner("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");

        var signature = signer.Sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, Encoding.UTF8.GetBytes("{\"test\": 2432232314}"));

        Assert.Equal("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", signature);
    }

    [Fact]
    public void Malformed_secret_is_refused_naming_the_setting()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new WebhookSigner("whsec_not base64!"));
        Assert.Contains("Webhooks:Secret", error.Message, StringComparison.Ordinal);
    }
}
