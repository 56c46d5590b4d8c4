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
        var encoded = secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret;
        try
        {
            _key = Convert.FromBase64String(encoded);
        }
        catch (FormatException ex)
        {
            throw new InvalidOperationException("Webhooks:Secret must be \"whsec_\" followed by Base64 (the signing key).", ex);
        }
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
