using EchoPipeline.Storage.Tests.Support;
using EchoPipeline.Testing;

namespace EchoPipeline.Storage.Tests.Blobs;

[Collection(AzuriteGroup.Name)]
public sealed class BlobListingTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task ListingByPrefixFollowsContinuationTokensAcrossPages()
    {
        var container = TestStorage.Account(azurite).GetBlobContainerClient(TestStorage.UniqueName("list"));
        await container.CreateIfNotExistsAsync();
        var expected = Enumerable.Range(0, 25).Select(i => $"frames/job-{i:D2}.png").ToList();
        await Parallel.ForEachAsync(expected.Concat(["other/x.png", "framesque.png", "a.png"]), async (name, ct) =>
            await container.UploadAsync(name, BinaryData.FromString(name), cancellationToken: ct));

        var pages = await container.GetBlobsAsync(prefix: "frames/").AsPages(pageSizeHint: 10).ToListAsync();
        var resumed = await container.GetBlobsAsync(prefix: "frames/").AsPages(pages[0].ContinuationToken, pageSizeHint: 10).ToListAsync();

        Assert.Equal([10, 10, 5], pages.Select(page => page.Values.Count));
        Assert.NotNull(pages[0].ContinuationToken);
        Assert.NotNull(pages[1].ContinuationToken);
        Assert.Null(pages[2].ContinuationToken);
        Assert.Equal(expected, pages.SelectMany(page => page.Values).Select(item => item.Name));
        Assert.Equal(expected.Skip(10), resumed.SelectMany(page => page.Values).Select(item => item.Name));
        Assert.All(pages.SelectMany(page => page.Values), item => Assert.Equal(item.Name.Length, item.Properties.ContentLength));
    }

    [Fact]
    public async Task ListedItemsCarryPropertiesAndMetadata()
    {
        var container = TestStorage.Account(azurite).GetBlobContainerClient(TestStorage.UniqueName("list"));
        await container.CreateIfNotExistsAsync();
        var uploaded = await container.UploadAsync("jobs/1.json", BinaryData.FromString("{}"), new Storage.Blobs.BlobUploadOptions
        {
            ContentType = "application/json",
            Metadata = new Dictionary<string, string> { ["status"] = "queued" },
        });

        var item = Assert.Single(await container.GetBlobsAsync("jobs/").ToListAsync());

        Assert.Equal(uploaded.Value.ETag, item.Properties.ETag);
        Assert.Equal("application/json", item.Properties.ContentType);
        Assert.Equal(2, item.Properties.ContentLength);
        Assert.Equal("queued", item.Properties.Metadata["status"]);
    }
}
