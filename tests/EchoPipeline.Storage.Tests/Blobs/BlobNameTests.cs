using EchoPipeline.Storage.Tests.Support;
using EchoPipeline.Testing;

namespace EchoPipeline.Storage.Tests.Blobs;

[Collection(AzuriteGroup.Name)]
public sealed class BlobNameTests(AzuriteFixture azurite)
{
    public static TheoryData<string> Names => new()
    {
        "dir one/file with spaces.mp4",
        "ünïcødé/日本語の動画/🎵 sound.wav",
        "reserved/hash#question?percent%25plus+and&equals=semi;colon:at@comma,dollar$",
        "brackets/[square] {curly} (round) 'quote' !bang ~tilde *star",
        "deep/a/b/c/d/e.txt",
    };

    [Theory]
    [MemberData(nameof(Names))]
    public async Task NamesRoundTripThroughUploadListDownloadAndDelete(string name)
    {
        var container = TestStorage.Account(azurite).GetBlobContainerClient(TestStorage.UniqueName("names"));
        await container.CreateIfNotExistsAsync();
        await container.UploadAsync(name, BinaryData.FromString(name));

        var listed = await container.GetBlobsAsync().Select(item => item.Name).ToListAsync();
        var byPrefix = await container.GetBlobsAsync(prefix: name[..(name.Length - 3)]).Select(item => item.Name).ToListAsync();
        var content = (await container.DownloadContentAsync(name)).Value.ToString();
        await container.DeleteAsync(name);

        Assert.Equal([name], listed);
        Assert.Equal([name], byPrefix);
        Assert.Equal(name, content);
        Assert.Empty(await container.GetBlobsAsync().ToListAsync());
    }

    [Fact]
    public void BlobUrisKeepSlashesAndEncodeEverythingElseReserved()
    {
        var container = new StorageAccount("BlobEndpoint=http://127.0.0.1:1/acct;SharedAccessSignature=sv=x").GetBlobContainerClient("c");

        var uri = container.GetBlobUri("a b/c#d?e%f+g/ü");

        Assert.Equal("/acct/c/a%20b/c%23d%3Fe%25f%2Bg/%C3%BC", uri.AbsolutePath);
    }

    [Theory]
    [InlineData("a/../b.txt")]
    [InlineData("./b.txt")]
    public void DotSegmentsAreRejectedBecauseTheUriWouldAddressAnotherBlob(string name)
    {
        var container = new StorageAccount("BlobEndpoint=http://127.0.0.1:1/acct;SharedAccessSignature=sv=x").GetBlobContainerClient("c");

        var failure = Assert.Throws<ArgumentException>(() => container.GetBlobUri(name));

        Assert.Contains(name, failure.Message, StringComparison.Ordinal);
    }
}
