using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using EchoPipeline.Worker.Tests.Support;

namespace EchoPipeline.Worker.Tests.Webhooks;

/// <summary>Standard Webhooks, computed here from the spec rather than with the product's signer.</summary>
internal static class StandardWebhooksSpec
{
    /// <summary>"v1," + Base64 of HMAC-SHA256 over "id.timestamp.body", keyed with the Base64 after "whsec_" of the secret (the test secret by default).</summary>
    public static string Signature(string id, string timestamp, byte[] body, string? secret = null)
    {
        var key = Convert.FromBase64String((secret ?? WorkerHost.TestSecret)["whsec_".Length..]);
        var signed = Encoding.UTF8.GetBytes($"{id}.{timestamp}.").Concat(body).ToArray();
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed));
    }

    /// <summary>Whether <paramref name="request"/> carries a valid signature made with <paramref name="secret"/>.</summary>
    public static bool IsSignedWith(ReceivedWebhook request, string secret) =>
        request.Headers["webhook-signature"] == Signature(request.Id, request.Headers["webhook-timestamp"], request.Body, secret);

    /// <summary>webhook-timestamp is Unix seconds of the attempt: within the last two minutes here.</summary>
    public static void AssertRecent(string timestamp) =>
        Assert.InRange(long.Parse(timestamp, CultureInfo.InvariantCulture), DateTimeOffset.UtcNow.AddMinutes(-2).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds());
}
