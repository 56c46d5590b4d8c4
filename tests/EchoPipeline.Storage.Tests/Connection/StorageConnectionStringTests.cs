using EchoPipeline.Storage.Connection;

namespace EchoPipeline.Storage.Tests.Connection;

public sealed class StorageConnectionStringTests
{
    private const string Key = "a2V5LWZvci10ZXN0cw==";

    [Fact]
    public void DevelopmentStorageUsesTheEmulatorAccountOnDefaultPorts()
    {
        var parsed = StorageConnectionString.Parse("UseDevelopmentStorage=true");

        Assert.Equal(new Uri("http://127.0.0.1:10000/devstoreaccount1"), parsed.BlobEndpoint);
        Assert.Equal(new Uri("http://127.0.0.1:10001/devstoreaccount1"), parsed.QueueEndpoint);
        var (name, key) = parsed.SharedKey!;
        Assert.Equal("devstoreaccount1", name);
        Assert.Equal("Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==", key);
        Assert.Null(parsed.SharedAccessSignature);
    }

    [Fact]
    public void AccountNameDerivesEndpointsFromProtocolAndSuffix()
    {
        var parsed = StorageConnectionString.Parse($"DefaultEndpointsProtocol=https;AccountName=echo;AccountKey={Key};EndpointSuffix=core.chinacloudapi.cn");

        Assert.Equal(new Uri("https://echo.blob.core.chinacloudapi.cn"), parsed.BlobEndpoint);
        Assert.Equal(new Uri("https://echo.queue.core.chinacloudapi.cn"), parsed.QueueEndpoint);
        var (name, key) = parsed.SharedKey!;
        Assert.Equal(("echo", Key), (name, key));
    }

    [Fact]
    public void DefaultsAreHttpsAndCoreWindowsNetAndKeysAreCaseInsensitive()
    {
        var parsed = StorageConnectionString.Parse($"accountname=echo;ACCOUNTKEY={Key};TableEndpoint=https://ignored;");

        Assert.Equal(new Uri("https://echo.blob.core.windows.net"), parsed.BlobEndpoint);
        Assert.Equal(new Uri("https://echo.queue.core.windows.net"), parsed.QueueEndpoint);
    }

    [Fact]
    public void ExplicitEndpointsWinAndAMissingOneStaysMissing()
    {
        var parsed = StorageConnectionString.Parse("BlobEndpoint=http://127.0.0.1:5000/devstoreaccount1;SharedAccessSignature=?sv=2025-01-05&sig=a%2Bb%3D");

        Assert.Equal(new Uri("http://127.0.0.1:5000/devstoreaccount1"), parsed.BlobEndpoint);
        Assert.Null(parsed.QueueEndpoint);
        Assert.Null(parsed.SharedKey);
        Assert.Equal("sv=2025-01-05&sig=a%2Bb%3D", parsed.SharedAccessSignature);
        var account = new StorageAccount("BlobEndpoint=http://127.0.0.1:5000/devstoreaccount1;SharedAccessSignature=sv=x");
        Assert.Throws<InvalidOperationException>(() => account.GetQueueClient("echo-jobs"));
    }

    [Fact]
    public void ExplicitEndpointsCombineWithAnAccountKey()
    {
        var parsed = StorageConnectionString.Parse($"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={Key};BlobEndpoint=http://127.0.0.1:5000/devstoreaccount1;QueueEndpoint=http://127.0.0.1:5001/devstoreaccount1;");

        Assert.Equal(5000, parsed.BlobEndpoint!.Port);
        Assert.Equal(5001, parsed.QueueEndpoint!.Port);
        Assert.Equal("devstoreaccount1", parsed.SharedKey!.Name);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData("justtext", "'justtext' is not Key=Value")]
    [InlineData("=value", "not Key=Value")]
    [InlineData("AccountName=a;AccountKey=" + Key + ";Colour=blue", "unknown key 'Colour'")]
    [InlineData("AccountName=a;AccountKey=" + Key + ";AccountName=b", "'AccountName' appears more than once")]
    [InlineData("UseDevelopmentStorage=false", "'UseDevelopmentStorage' must be 'true'")]
    [InlineData("UseDevelopmentStorage=true;AccountName=x", "'AccountName' cannot be combined")]
    [InlineData("UseDevelopmentStorage=true;DevelopmentStorageProxyUri=http://proxy", "unknown key 'DevelopmentStorageProxyUri'")]
    [InlineData("AccountName=a;AccountKey=not*base64!", "'AccountKey' is not a base64 key")]
    [InlineData("AccountName=a;AccountKey=", "'AccountKey' is not a base64 key")]
    [InlineData("AccountKey=" + Key + ";BlobEndpoint=http://x", "'AccountKey' needs 'AccountName'")]
    [InlineData("AccountName=a", "neither 'AccountKey' nor 'SharedAccessSignature'")]
    [InlineData("AccountName=a;AccountKey=" + Key + ";SharedAccessSignature=sv=1", "'AccountKey' and 'SharedAccessSignature' cannot both")]
    [InlineData("BlobEndpoint=not a uri;SharedAccessSignature=sv=1", "'BlobEndpoint' must be an absolute http(s) URI")]
    [InlineData("QueueEndpoint=ftp://host/x;SharedAccessSignature=sv=1", "'QueueEndpoint' must be an absolute http(s) URI")]
    [InlineData("SharedAccessSignature=sv=1", "no 'BlobEndpoint'/'QueueEndpoint' and no 'AccountName'")]
    [InlineData("DefaultEndpointsProtocol=ftp;AccountName=a;AccountKey=" + Key, "'DefaultEndpointsProtocol' must be 'http' or 'https'")]
    [InlineData("AccountName=a b;AccountKey=" + Key, "do not form a host name")]
    public void BadConnectionStringsThrowArgumentExceptionNamingTheProblem(string connectionString, string expected)
    {
        var failure = Assert.Throws<ArgumentException>(() => StorageConnectionString.Parse(connectionString));

        Assert.Equal("connectionString", failure.ParamName);
        Assert.Contains(expected, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ErrorsDoNotEchoTheAccountKey()
    {
        var failure = Assert.Throws<ArgumentException>(() => StorageConnectionString.Parse($"AccountKey={Key};BlobEndpoint=http://x"));

        Assert.DoesNotContain(Key, failure.Message, StringComparison.Ordinal);
    }
}
