using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace EchoPipeline.Storage.Authentication;

/// <summary>Appends the SAS token's parameters to each request's query; runs once per call so retries do not append them twice.</summary>
internal sealed class SasQueryPolicy(AzureSasCredential credential) : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message)
    {
        // The token is already URL-encoded; it is read per call so AzureSasCredential.Update takes effect.
        foreach (var parameter in credential.Signature.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = parameter.Split('=', 2);
            message.Request.Uri.AppendQuery(parts[0], parts.Length > 1 ? parts[1] : "", escapeValue: false);
        }
    }
}
