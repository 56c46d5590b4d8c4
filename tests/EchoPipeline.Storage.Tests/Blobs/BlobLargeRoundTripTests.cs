using System.Security.Cryptography;
using Azure.Core;
using EchoPipeline.Storage.Blobs;
using EchoPipeline.Storage.Tests.Support;
using EchoPipeline.Testing;

namespace EchoPipeline.Storage.Tests.Blobs;

[Collection(AzuriteGroup.Name)]
public sealed class BlobLargeRoundTripTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A64MiBBlobUploadsInBlocksAndStreamsBackByteIdentical()
    {
        const long length = 64L * 1024 * 1024;
        const int blockSize = 4 * 1024 * 1024;
        var recorder = new RequestRecorder();
        var container = TestStorage.Account(azurite, options =>
        {
            options.BlockSize = blockSize;
            options.AddPolicy(recorder, HttpPipelinePosition.PerRetry);
        }).GetBlobContainerClient(TestStorage.UniqueName("large"));
        await container.CreateIfNotExistsAsync();

        await using var source = new PatternStream(length, seed: 20241209);
        var uploaded = await container.UploadAsync("video/big.bin", source, new BlobUploadOptions { ContentType = "application/octet-stream" });
        var sourceHash = source.GetHash();

        await using var download = (await container.DownloadStreamingAsync("video/big.bin")).Value;
        var downloadedHash = await SHA256.HashDataAsync(download.Content);

        Assert.Equal(length, download.Properties.ContentLength);
        Assert.Equal(uploaded.Value.ETag, download.Properties.ETag);
        Assert.Equal("application/octet-stream", download.Properties.ContentType);
        Assert.Equal(Convert.ToHexString(sourceHash), Convert.ToHexString(downloadedHash));
        Assert.Equal((int)(length / blockSize), recorder.Count("PUT", "comp=block&"));
        Assert.Equal(1, recorder.Count("PUT", "comp=blocklist"));
    }

    [Fact]
    public async Task UnseekableContentThatEndsInOneBlockIsUploadedWithOneRequest()
    {
        var recorder = new RequestRecorder();
        var container = TestStorage.Account(azurite, options => options.AddPolicy(recorder, HttpPipelinePosition.PerRetry))
            .GetBlobContainerClient(TestStorage.UniqueName("small"));
        await container.CreateIfNotExistsAsync();

        await using var source = new PatternStream(1000, seed: 7);
        await container.UploadAsync("small.bin", source);

        Assert.Equal(0, recorder.Count("PUT", "comp=block"));
        Assert.Equal(1000, (await container.GetPropertiesAsync("small.bin")).Value.ContentLength);
    }

    [Fact]
    public async Task SeekableContentAboveTheThresholdIsStagedInBlocks()
    {
        var recorder = new RequestRecorder();
        var container = TestStorage.Account(azurite, options =>
        {
            options.SingleUploadThreshold = 2048;
            options.BlockSize = 1024;
            options.AddPolicy(recorder, HttpPipelinePosition.PerRetry);
        }).GetBlobContainerClient(TestStorage.UniqueName("blocks"));
        await container.CreateIfNotExistsAsync();
        var content = RandomNumberGenerator.GetBytes(2500);

        await container.UploadAsync("blocks.bin", BinaryData.FromBytes(content));

        Assert.Equal(3, recorder.Count("PUT", "comp=block&"));
        Assert.Equal(content, (await container.DownloadContentAsync("blocks.bin")).Value.ToArray());
    }
}
