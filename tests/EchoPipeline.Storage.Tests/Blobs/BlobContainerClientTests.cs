using Azure;
using EchoPipeline.Storage.Blobs;
using EchoPipeline.Storage.Tests.Support;
using EchoPipeline.Testing;

namespace EchoPipeline.Storage.Tests.Blobs;

[Collection(AzuriteGroup.Name)]
public sealed class BlobContainerClientTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task CreateIfNotExistsReportsWhetherItCreatedAndDeleteIfExistsWhetherItDeleted()
    {
        var container = TestStorage.Account(azurite).GetBlobContainerClient(TestStorage.UniqueName("videos"));

        Assert.True(await container.CreateIfNotExistsAsync());
        Assert.False(await container.CreateIfNotExistsAsync());
        Assert.True(await container.DeleteIfExistsAsync());
        Assert.False(await container.DeleteIfExistsAsync());
    }

    [Fact]
    public async Task UploadKeepsContentTypeAndMetadataAndSetMetadataReplacesThem()
    {
        var container = await CreateContainerAsync();
        var uploaded = await container.UploadAsync("audio/a.wav", BinaryData.FromString("RIFF...."), new BlobUploadOptions
        {
            ContentType = "audio/wav",
            Metadata = new Dictionary<string, string> { ["jobid"] = "j-42", ["seed"] = "7" },
        });

        var properties = (await container.GetPropertiesAsync("audio/a.wav")).Value;
        var updated = await container.SetMetadataAsync("audio/a.wav", new Dictionary<string, string> { ["state"] = "done" });
        var after = (await container.GetPropertiesAsync("audio/a.wav")).Value;

        Assert.Equal(uploaded.Value.ETag, properties.ETag);
        Assert.Equal("audio/wav", properties.ContentType);
        Assert.Equal(8, properties.ContentLength);
        Assert.Equal(new Dictionary<string, string> { ["jobid"] = "j-42", ["seed"] = "7" }, properties.Metadata.ToDictionary());
        Assert.True(properties.LastModified > DateTimeOffset.UtcNow.AddMinutes(-5));
        Assert.NotEqual(properties.ETag, updated.Value.ETag);
        Assert.Equal(updated.Value.ETag, after.ETag);
        Assert.Equal(new Dictionary<string, string> { ["state"] = "done" }, after.Metadata.ToDictionary());
        Assert.Equal("RIFF....", (await container.DownloadContentAsync("audio/a.wav")).Value.ToString());
    }

    [Fact]
    public async Task ExistsAndDeleteIfExistsFollowTheBlob()
    {
        var container = await CreateContainerAsync();
        await container.UploadAsync("x.txt", BinaryData.FromString("x"));

        Assert.True(await container.ExistsAsync("x.txt"));
        Assert.True(await container.DeleteIfExistsAsync("x.txt"));
        Assert.False(await container.ExistsAsync("x.txt"));
        Assert.False(await container.DeleteIfExistsAsync("x.txt"));
    }

    [Fact]
    public async Task MissingBlobsFailWithStatusAndErrorCode()
    {
        var container = await CreateContainerAsync();

        var download = await Assert.ThrowsAsync<RequestFailedException>(() => container.DownloadStreamingAsync("missing.bin"));
        var properties = await Assert.ThrowsAsync<RequestFailedException>(() => container.GetPropertiesAsync("missing.bin"));
        var delete = await Assert.ThrowsAsync<RequestFailedException>(() => container.DeleteAsync("missing.bin"));

        Assert.All([download, properties, delete], failure => Assert.Equal((404, "BlobNotFound"), (failure.Status, failure.ErrorCode)));
        Assert.Contains("The specified blob does not exist", download.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UploadToAMissingContainerFailsWithContainerNotFound()
    {
        var container = TestStorage.Account(azurite).GetBlobContainerClient(TestStorage.UniqueName("absent"));

        var failure = await Assert.ThrowsAsync<RequestFailedException>(() => container.UploadAsync("a.txt", BinaryData.FromString("a")));

        Assert.Equal((404, "ContainerNotFound"), (failure.Status, failure.ErrorCode));
    }

    private async Task<BlobContainerClient> CreateContainerAsync()
    {
        var container = TestStorage.Account(azurite).GetBlobContainerClient(TestStorage.UniqueName("props"));
        await container.CreateIfNotExistsAsync();
        return container;
    }
}
