using Azure;
using EchoPipeline.Storage.Blobs;
using EchoPipeline.Storage.Tests.Support;
using EchoPipeline.Testing;

namespace EchoPipeline.Storage.Tests.Blobs;

[Collection(AzuriteGroup.Name)]
public sealed class BlobConditionTests(AzuriteFixture azurite)
{
    private static readonly BlobUploadOptions CreateOnly = new() { Conditions = new RequestConditions { IfNoneMatch = ETag.All } };

    [Theory]
    [InlineData(1024 * 1024)] // one Put Blob
    [InlineData(0)] // Put Block + Put Block List (threshold 0 forces blocks)
    public async Task CreateOnlyOnAnExistingBlobFailsAndLeavesItUnchanged(long singleUploadThreshold)
    {
        var container = await CreateContainerAsync(options =>
        {
            options.SingleUploadThreshold = singleUploadThreshold;
            options.BlockSize = 1024;
        });
        var first = await container.UploadAsync("job.json", BinaryData.FromString("{\"v\":1}"), CreateOnly);

        var failure = await Assert.ThrowsAsync<RequestFailedException>(
            () => container.UploadAsync("job.json", BinaryData.FromString(new string('x', 3000)), CreateOnly));

        Assert.Equal((409, "BlobAlreadyExists"), (failure.Status, failure.ErrorCode));
        Assert.Equal("{\"v\":1}", (await container.DownloadContentAsync("job.json")).Value.ToString());
        Assert.Equal(first.Value.ETag, (await container.GetPropertiesAsync("job.json")).Value.ETag);
    }

    [Fact]
    public async Task IfMatchWithTheCurrentETagOverwritesAndAStaleOneFails412()
    {
        var container = await CreateContainerAsync();
        var v1 = await container.UploadAsync("record.json", BinaryData.FromString("v1"));
        var v2 = await container.UploadAsync("record.json", BinaryData.FromString("v2"), new BlobUploadOptions { Conditions = new RequestConditions { IfMatch = v1.Value.ETag } });
        var stale = new RequestConditions { IfMatch = v1.Value.ETag };

        var upload = await Assert.ThrowsAsync<RequestFailedException>(() => container.UploadAsync("record.json", BinaryData.FromString("v3"), new BlobUploadOptions { Conditions = stale }));
        var metadata = await Assert.ThrowsAsync<RequestFailedException>(() => container.SetMetadataAsync("record.json", new Dictionary<string, string> { ["state"] = "x" }, stale));
        var delete = await Assert.ThrowsAsync<RequestFailedException>(() => container.DeleteAsync("record.json", stale));

        Assert.NotEqual(v1.Value.ETag, v2.Value.ETag);
        Assert.All([upload, metadata, delete], failure => Assert.Equal((412, "ConditionNotMet"), (failure.Status, failure.ErrorCode)));
        Assert.Equal("v2", (await container.DownloadContentAsync("record.json")).Value.ToString());
    }

    [Fact]
    public async Task DownloadWithAStaleETagFails412()
    {
        var container = await CreateContainerAsync();
        var v1 = await container.UploadAsync("frame.png", BinaryData.FromString("v1"));
        await container.UploadAsync("frame.png", BinaryData.FromString("v2"));

        var failure = await Assert.ThrowsAsync<RequestFailedException>(
            () => container.DownloadStreamingAsync("frame.png", new RequestConditions { IfMatch = v1.Value.ETag }));

        Assert.Equal(412, failure.Status);
        Assert.Equal("ConditionNotMet", failure.ErrorCode);
    }

    private async Task<BlobContainerClient> CreateContainerAsync(Action<StorageClientOptions>? configure = null)
    {
        var container = TestStorage.Account(azurite, configure).GetBlobContainerClient(TestStorage.UniqueName("cond"));
        await container.CreateIfNotExistsAsync();
        return container;
    }
}
