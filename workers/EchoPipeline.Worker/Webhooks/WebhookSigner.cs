using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace EchoPipeline.Worker.Webhooks;

/// <summary>
/// Standard Webhooks signatures (standardwebhooks.com): <c>webhook-signature: v1,&lt;base64 HMAC-SHA256(key, id.timestamp.body)&gt;</c>
/// where the key is the Base64 part of a <c>whsec_</c> secret.
/// </summary>
public sealed class WebhookSigner
{
    private const string SecretPrefix = "whsec_";
    private readonly byte[] _key;

    public WebhookSigner(string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        _key = TryDecodeKey(secret, out var key) ? key : throw new InvalidOperationException(MalformedSecret("Webhooks:Secret (or Webhooks:Subscriptions:n:Secret)"));
    }

    /// <summary>What a start-up check says about a secret it cannot use; the value itself is never repeated.</summary>
    internal static string MalformedSecret(string key) => $"{key} must be \"whsec_\" followed by Base64 (the signing key).";

    internal static bool TryDecodeKey(string secret, out byte[] key)
    {
        var encoded = secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret;
        var buffer = new byte[encoded.Length];
        if (encoded.Length > 0 && Convert.TryFromBase64String(encoded, buffer, out var written))
        {
            key = buffer[..written];
            return true;
        }

        key = [];
        return false;
    }

    public string Sign(string messageId, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{messageId}.{timestamp}."));
        var content = new byte[prefix.Length + body.Length];
        prefix.CopyTo(content, 0);
        body.CopyTo(content.AsSpan(prefix.Length));
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(_key, content));
    }
}
