using Azure.Core;
using Azure.Core.Pipeline;
using EchoPipeline.Storage.Authentication;

namespace EchoPipeline.Storage.Tests.Authentication;

/// <summary>The expected strings are written by hand from the "Authorize with Shared Key" rules, not produced by the code under test.</summary>
public sealed class SharedKeyStringToSignTests
{
    [Fact]
    public void BlobRequestIsCanonicalizedAsDocumented()
    {
        using var request = HttpClientTransport.Shared.CreateRequest();
        request.Method = RequestMethod.Put;
        request.Uri.Reset(new Uri("http://127.0.0.1:10000/devstoreaccount1/videos/a%20b%23c.mp4?comp=metadata&Timeout=30"));
        request.Headers.SetValue("x-ms-version", "2025-01-05");
        request.Headers.SetValue("x-ms-date", "Sun, 11 Oct 2009 21:49:13 GMT");
        request.Headers.SetValue("X-MS-Meta-Source", "  cam 1 ");
        request.Headers.SetValue("If-Match", "\"0x8D\"");
        request.Headers.SetValue("Content-Type", "text/plain");
        request.Content = RequestContent.Create(new byte[5]);

        var expected =
            "PUT\n" + "\n" + "\n" + "5\n" + "\n" + "text/plain\n" + "\n" + "\n" + "\"0x8D\"\n" + "\n" + "\n" + "\n" +
            "x-ms-date:Sun, 11 Oct 2009 21:49:13 GMT\n" +
            "x-ms-meta-source:cam 1\n" +
            "x-ms-version:2025-01-05\n" +
            "/devstoreaccount1/devstoreaccount1/videos/a%20b%23c.mp4\n" +
            "comp:metadata\n" +
            "timeout:30";
        Assert.Equal(expected, SharedKeyStringToSign.Build(request, "devstoreaccount1"));
    }

    [Fact]
    public void EmptyBodiesSignAnEmptyLengthAndQueryValuesAreDecodedSortedAndJoined()
    {
        using var request = HttpClientTransport.Shared.CreateRequest();
        request.Method = RequestMethod.Get;
        request.Uri.Reset(new Uri("https://echo.queue.core.windows.net/jobs/messages?popreceipt=AQ%2BB%3D%3D&b=2&a=y&a=x"));
        request.Headers.SetValue("x-ms-date", "Sun, 11 Oct 2009 21:49:13 GMT");
        request.Content = RequestContent.Create(Array.Empty<byte>());

        var expected = "GET\n\n\n\n\n\n\n\n\n\n\n\n" +
            "x-ms-date:Sun, 11 Oct 2009 21:49:13 GMT\n" +
            "/echo/jobs/messages\n" +
            "a:x,y\n" +
            "b:2\n" +
            "popreceipt:AQ+B==";
        Assert.Equal(expected, SharedKeyStringToSign.Build(request, "echo"));
    }
}
