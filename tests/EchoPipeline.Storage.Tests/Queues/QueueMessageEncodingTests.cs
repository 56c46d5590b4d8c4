using System.Text;
using EchoPipeline.Storage.Queues;
using EchoPipeline.Storage.Tests.Support;
using EchoPipeline.Testing;

namespace EchoPipeline.Storage.Tests.Queues;

[Collection(AzuriteGroup.Name)]
public sealed class QueueMessageEncodingTests(AzuriteFixture azurite)
{
    private const string Json = "{\"jobId\":\"j-1\",\"note\":\"héllo ✓ <&>\"}";

    [Fact]
    public async Task Base64ClientsWriteWhatAzureFunctionsReadsBase64OfUtf8()
    {
        var (base64, raw) = await CreateClientsAsync();

        await base64.SendMessageAsync(Json);
        var onTheWire = Assert.Single((await raw.PeekMessagesAsync()).Value).MessageText;
        var decoded = Assert.Single((await base64.ReceiveMessagesAsync()).Value).MessageText;

        Assert.Equal(Convert.ToBase64String(Encoding.UTF8.GetBytes(Json)), onTheWire);
        Assert.Equal(Json, decoded);
    }

    [Fact]
    public async Task Base64ClientsReadWhatAzureFunctionsWrites()
    {
        var (base64, raw) = await CreateClientsAsync();

        await raw.SendMessageAsync(Convert.ToBase64String(Encoding.UTF8.GetBytes(Json)));

        Assert.Equal(Json, Assert.Single((await base64.ReceiveMessagesAsync()).Value).MessageText);
    }

    [Fact]
    public async Task Base64CarriesBytesThatAreNotText()
    {
        var (base64, _) = await CreateClientsAsync();
        byte[] bytes = [0, 1, 0xFF, 0xFE, 0x80, 10, 13];

        await base64.SendMessageAsync(BinaryData.FromBytes(bytes));

        Assert.Equal(bytes, Assert.Single((await base64.ReceiveMessagesAsync()).Value).Body.ToArray());
    }

    [Fact]
    public async Task WithoutEncodingTheTextIsCarriedAsIsIncludingXmlSpecialCharacters()
    {
        var (_, raw) = await CreateClientsAsync();

        await raw.SendMessageAsync(Json);

        Assert.Equal(Json, Assert.Single((await raw.ReceiveMessagesAsync()).Value).MessageText);
    }

    [Fact]
    public async Task ABase64ClientReceivingPlainTextFailsClearlyAndTheMessageStays()
    {
        var (base64, raw) = await CreateClientsAsync();
        var sent = (await raw.SendMessageAsync("not base64!")).Value;

        var failure = await Assert.ThrowsAsync<InvalidDataException>(() => base64.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(1)));

        Assert.Contains(sent.MessageId, failure.Message, StringComparison.Ordinal);
        Assert.Equal(1, (await raw.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    private async Task<(QueueClient Base64, QueueClient Raw)> CreateClientsAsync()
    {
        var name = TestStorage.UniqueName("enc");
        var base64 = TestStorage.Account(azurite, options => options.MessageEncoding = QueueMessageEncoding.Base64).GetQueueClient(name);
        var raw = TestStorage.Account(azurite).GetQueueClient(name);
        await raw.CreateIfNotExistsAsync();
        return (base64, raw);
    }
}
