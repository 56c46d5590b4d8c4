using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace EchoPipeline.Storage.Tests.Authentication;

/// <summary>Builds an account SAS token per "Create an account SAS" (string-to-sign for version 2020-12-06 and later).</summary>
internal static class AccountSas
{
    public static string Create(string accountName, string accountKey, string permissions, DateTimeOffset expiresOn, string version = "2025-01-05")
    {
        const string services = "bq", resourceTypes = "sco", protocol = "https,http";
        var expiry = expiresOn.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        // account, permissions, services, resource types, start, expiry, IP, protocol, version, encryption scope, and a final newline.
        var stringToSign = string.Join('\n', accountName, permissions, services, resourceTypes, "", expiry, "", protocol, version, "", "");
        var signature = HMACSHA256.HashData(Convert.FromBase64String(accountKey), Encoding.UTF8.GetBytes(stringToSign));
        return $"sv={version}&ss={services}&srt={resourceTypes}&sp={permissions}&se={Uri.EscapeDataString(expiry)}" +
            $"&spr={Uri.EscapeDataString(protocol)}&sig={Uri.EscapeDataString(Convert.ToBase64String(signature))}";
    }
}
