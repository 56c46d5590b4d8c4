using System.Text.Json.Nodes;

namespace EchoPipeline.Functions.Tests.Support;

/// <summary>
/// Microsoft.Storage.BlobCreated events as Event Grid delivers them (learn.microsoft.com, "Azure Blob Storage as
/// an Event Grid source", example events for the Event Grid schema and the CloudEvents 1.0 schema).
/// </summary>
public static class BlobEvents
{
    private const string Topic = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/devstoreaccount1";

    public static JsonObject EventGrid(string blobName, string? etag, string container = "videos", long length = 1024, string id = "") => new()
    {
        ["topic"] = Topic,
        ["subject"] = $"/blobServices/default/containers/{container}/blobs/{blobName}",
        ["eventType"] = "Microsoft.Storage.BlobCreated",
        ["id"] = id.Length > 0 ? id : Guid.NewGuid().ToString(),
        ["data"] = Data(blobName, etag, container, length),
        ["dataVersion"] = "",
        ["metadataVersion"] = "1",
        ["eventTime"] = "2026-11-22T01:00:00.0000000Z",
    };

    public static JsonObject CloudEvent(string blobName, string? etag, string container = "videos", long length = 1024) => new()
    {
        ["specversion"] = "1.0",
        ["source"] = Topic,
        ["subject"] = $"/blobServices/default/containers/{container}/blobs/{blobName}",
        ["type"] = "Microsoft.Storage.BlobCreated",
        ["id"] = Guid.NewGuid().ToString(),
        ["time"] = "2026-11-22T01:00:00.0000000Z",
        ["data"] = Data(blobName, etag, container, length),
    };

    public static JsonObject SubscriptionValidation(string code) => new()
    {
        ["id"] = Guid.NewGuid().ToString(),
        ["topic"] = Topic,
        ["subject"] = "",
        ["data"] = new JsonObject { ["validationCode"] = code, ["validationUrl"] = "https://rp-eastus2.eventgrid.azure.net/eventsubscriptions/x/validate?id=1&t=2&apiVersion=2018-05-01-preview&token=3" },
        ["eventType"] = "Microsoft.EventGrid.SubscriptionValidationEvent",
        ["eventTime"] = "2026-11-22T01:00:00.0000000Z",
        ["metadataVersion"] = "1",
        ["dataVersion"] = "1",
    };

    private static JsonObject Data(string blobName, string? etag, string container, long length)
    {
        var data = new JsonObject
        {
            ["api"] = "PutBlob",
            ["clientRequestId"] = Guid.NewGuid().ToString(),
            ["requestId"] = Guid.NewGuid().ToString(),
            ["contentType"] = "video/mp4",
            ["contentLength"] = length,
            ["blobType"] = "BlockBlob",
            ["url"] = $"https://devstoreaccount1.blob.core.windows.net/{container}/{Uri.EscapeDataString(blobName)}",
            ["sequencer"] = "00000000000004420000000000028963",
            ["storageDiagnostics"] = new JsonObject { ["batchId"] = "b68529f3-68cd-4744-baa4-3c0498ec19f0" },
        };
        if (etag is not null)
        {
            data["eTag"] = etag;
        }

        return data;
    }
}
