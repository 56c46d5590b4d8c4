using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace EchoPipeline.Storage.Authentication;

/// <summary>The pipeline policy for one kind of credential, and whether it must run on every retry or once per call.</summary>
internal sealed record StorageAuthentication(HttpPipelinePolicy Policy, HttpPipelinePosition Position)
{
    /// <summary>Scope for Microsoft Entra tokens accepted by Blob and Queue storage.</summary>
    public const string TokenScope = "https://storage.azure.com/.default";

    public static StorageAuthentication SharedKey(AzureNamedKeyCredential credential) =>
        new(new StorageSharedKeyPolicy(credential), HttpPipelinePosition.PerRetry);

    public static StorageAuthentication Sas(AzureSasCredential credential) =>
        new(new SasQueryPolicy(credential), HttpPipelinePosition.PerCall);

    public static StorageAuthentication Token(TokenCredential credential) =>
        new(new BearerTokenAuthenticationPolicy(credential, TokenScope), HttpPipelinePosition.PerRetry);
}
