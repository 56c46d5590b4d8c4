using System.Globalization;
using Azure.Core;
using Azure.Core.Pipeline;

namespace EchoPipeline.Storage.Pipeline;

/// <summary>Stamps x-ms-version and a fresh x-ms-date on every attempt (the date is part of the SharedKey signature).</summary>
internal sealed class StorageHeadersPolicy(string serviceVersion, TimeProvider timeProvider) : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message)
    {
        message.Request.Headers.SetValue("x-ms-version", serviceVersion);
        message.Request.Headers.SetValue("x-ms-date", timeProvider.GetUtcNow().ToString("R", CultureInfo.InvariantCulture));
    }
}
