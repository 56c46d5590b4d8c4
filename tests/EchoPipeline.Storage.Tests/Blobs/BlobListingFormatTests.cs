using Azure;
using EchoPipeline.Storage.Tests.Support;

namespace EchoPipeline.Storage.Tests.Blobs;

/// <summary>List Blobs responses in the service's own format (which Azurite does not reproduce exactly), served from loopback.</summary>
public sealed class BlobListingFormatTests
{
    private const string Listing = """
        <?xml version="1.0" encoding="utf-8"?>
        <EnumerationResults ServiceEndpoint="https://echo.blob.core.windows.net/" ContainerName="videos">
          <Prefix>clips/</Prefix>
          <MaxResults>2</MaxResults>
          <Blobs>
            <Blob>
              <Name>clips/a.mp4</Name>
              <Properties>
                <Last-Modified>Sun, 11 Oct 2009 21:49:13 GMT</Last-Modified>
                <Etag>0x8CBFF45D8A29A19</Etag>
                <Content-Length>1024</Content-Length>
                <Content-Type>video/mp4</Content-Type>
                <BlobType>BlockBlob</BlobType>
              </Properties>
              <Metadata><Source>cam1</Source></Metadata>
            </Blob>
            <Blob>
              <Name Encoded="true">clips/bad%01name.mp4</Name>
              <Properties><Etag>0x1</Etag><Content-Length>0</Content-Length><Content-Type /></Properties>
            </Blob>
          </Blobs>
          <NextMarker>2!clips/c.mp4</NextMarker>
        </EnumerationResults>
        """;

    [Fact]
    public async Task UnquotedETagsEncodedNamesAndMarkersAreRead()
    {
        await using var server = LoopbackServer.Start(_ => new LoopbackResponse(200, new() { ["Content-Type"] = "application/xml" }, Listing));
        var container = new StorageAccount($"BlobEndpoint={server.Endpoint}echo;SharedAccessSignature=sv=1").GetBlobContainerClient("videos");

        var page = await container.GetBlobsAsync("clips/").AsPages(pageSizeHint: 2).FirstAsync();

        Assert.Equal("2!clips/c.mp4", page.ContinuationToken);
        Assert.Equal(["clips/a.mp4", "clips/bad\u0001name.mp4"], page.Values.Select(item => item.Name));
        var first = page.Values[0].Properties;
        Assert.Equal(new ETag("0x8CBFF45D8A29A19"), first.ETag);
        Assert.Equal("\"0x8CBFF45D8A29A19\"", first.ETag.ToString("H"));
        Assert.Equal((1024L, "video/mp4", "cam1"), (first.ContentLength, first.ContentType, first.Metadata["source"]));
        Assert.Equal(new DateTimeOffset(2009, 10, 11, 21, 49, 13, TimeSpan.Zero), first.LastModified);
        Assert.Null(page.Values[1].Properties.ContentType);
    }
}
