using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace EchoPipeline.Storage.Authentication;

/// <summary>Signs each attempt with the account key (HMAC-SHA256 of the SharedKey string-to-sign); runs per retry, after x-ms-date is stamped.</summary>
internal sealed class StorageSharedKeyPolicy(AzureNamedKeyCredential credential) : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message)
    {
        // Read the credential on every request so AzureNamedKeyCredential.Update (key rotation) takes effect.
        var (accountName, accountKey) = credential;
        var stringToSign = SharedKeyStringToSign.Build(message.Request, accountName);
        var signature = HMACSHA256.HashData(Convert.FromBase64String(accountKey), Encoding.UTF8.GetBytes(stringToSign));
        message.Request.Headers.SetValue("Authorization", $"SharedKey {accountName}:{Convert.ToBase64String(signature)}");
    }
}
