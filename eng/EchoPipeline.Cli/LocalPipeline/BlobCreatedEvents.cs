using System.Globalization;
using System.Text.Json.Nodes;

namespace EchoPipeline.Cli.LocalPipeline;

/// <summary>
/// Microsoft.Storage.BlobCreated in the Event Grid schema, as the storage account's system topic publishes it
/// (learn.microsoft.com, "Azure Blob Storage as an Event Grid source"). Locally nobody publishes it, so the CLI does.
/// </summary>
internal static class BlobCreatedEvents
{
    public static JsonObject Create(Uri blobEndpoint, string container, string blobName, string eTag, long length, string contentType, DateTimeOffset time)
    {
        ArgumentNullException.ThrowIfNull(blobEndpoint);
        var account = blobEndpoint.Host.Contains('.', StringComparison.Ordinal) ? blobEndpoint.Host.Split('.')[0] : blobEndpoint.AbsolutePath.Trim('/');
        return new JsonObject
        {
            ["topic"] = $"/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/local/providers/Microsoft.Storage/storageAccounts/{account}",
            ["subject"] = $"/blobServices/default/containers/{container}/blobs/{blobName}",
            ["eventType"] = "Microsoft.Storage.BlobCreated",
            ["id"] = Guid.NewGuid().ToString(),
            ["eventTime"] = time.UtcDateTime.ToString("o", CultureInfo.InvariantCulture),
            ["dataVersion"] = "",
            ["metadataVersion"] = "1",
            ["data"] = new JsonObject
            {
                ["api"] = "PutBlob",
                ["clientRequestId"] = Guid.NewGuid().ToString(),
                ["requestId"] = Guid.NewGuid().ToString(),
                ["eTag"] = eTag,
                ["contentType"] = contentType,
                ["contentLength"] = length,
                ["blobType"] = "BlockBlob",
                ["url"] = $"{blobEndpoint.AbsoluteUri.TrimEnd('/')}/{container}/{Uri.EscapeDataString(blobName)}",
                ["sequencer"] = time.UtcTicks.ToString("x32", CultureInfo.InvariantCulture),
            },
        };
    }
}
