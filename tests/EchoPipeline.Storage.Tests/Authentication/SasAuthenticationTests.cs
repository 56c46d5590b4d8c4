using Azure;
using EchoPipeline.LocalServices;
using EchoPipeline.Storage.Tests.Support;
using EchoPipeline.Testing;

namespace EchoPipeline.Storage.Tests.Authentication;

[Collection(AzuriteGroup.Name)]
public sealed class SasAuthenticationTests(AzuriteFixture azurite)
{
    private readonly DateTimeOffset _expiry = DateTimeOffset.UtcNow.AddHours(1);

    [Fact]
    public async Task AConnectionStringWithSharedAccessSignatureWorksForBlobsAndQueues()
    {
        var sas = AccountSas.Create(AzuriteServer.AccountName, AzuriteServer.AccountKey, "rwdlacup", _expiry);
        var account = new StorageAccount(
            $"BlobEndpoint={azurite.Server.BlobEndpoint};QueueEndpoint={azurite.Server.QueueEndpoint};SharedAccessSignature=?{sas}");

        await AssertBlobAndQueueRoundTripAsync(account);
    }

    [Fact]
    public async Task AnAzureSasCredentialWorksForBlobsAndQueues()
    {
        var sas = AccountSas.Create(AzuriteServer.AccountName, AzuriteServer.AccountKey, "rwdlacup", _expiry);
        var account = new StorageAccount(azurite.Server.BlobEndpoint, azurite.Server.QueueEndpoint, new AzureSasCredential(sas));

        await AssertBlobAndQueueRoundTripAsync(account);
    }

    [Fact]
    public async Task ASasWithAWrongSignatureIsRejected()
    {
        var sas = AccountSas.Create(AzuriteServer.AccountName, Convert.ToBase64String(new byte[64]), "rwdlacup", _expiry);
        var account = new StorageAccount(azurite.Server.BlobEndpoint, null, new AzureSasCredential(sas));

        var failure = await Assert.ThrowsAsync<RequestFailedException>(() => account.GetBlobContainerClient("sas-denied").CreateIfNotExistsAsync());

        Assert.Equal((403, "AuthorizationFailure"), (failure.Status, failure.ErrorCode));
    }

    [Fact]
    public async Task AReadOnlySasCannotWrite()
    {
        var writer = TestStorage.Account(azurite).GetBlobContainerClient(TestStorage.UniqueName("sasro"));
        await writer.CreateIfNotExistsAsync();
        await writer.UploadAsync("a.txt", BinaryData.FromString("a"));
        var sas = AccountSas.Create(AzuriteServer.AccountName, AzuriteServer.AccountKey, "rl", _expiry);
        var reader = new StorageAccount(azurite.Server.BlobEndpoint, null, new AzureSasCredential(sas)).GetBlobContainerClient(writer.Name);

        var read = (await reader.DownloadContentAsync("a.txt")).Value.ToString();
        var failure = await Assert.ThrowsAsync<RequestFailedException>(() => reader.UploadAsync("b.txt", BinaryData.FromString("b")));

        Assert.Equal("a", read);
        Assert.Equal(403, failure.Status);
        Assert.Equal("AuthorizationPermissionMismatch", failure.ErrorCode);
    }

    [Fact]
    public async Task AWrongAccountKeyIsRejected()
    {
        var connection = azurite.ConnectionString.Replace(AzuriteServer.AccountKey, Convert.ToBase64String(new byte[64]), StringComparison.Ordinal);

        var failure = await Assert.ThrowsAsync<RequestFailedException>(() => new StorageAccount(connection).GetQueueClient("denied").CreateIfNotExistsAsync());

        Assert.Equal((403, "AuthenticationFailed"), (failure.Status, failure.ErrorCode));
    }

    private static async Task AssertBlobAndQueueRoundTripAsync(StorageAccount account)
    {
        var container = account.GetBlobContainerClient(TestStorage.UniqueName("sas"));
        var queue = account.GetQueueClient(TestStorage.UniqueName("sas"));

        Assert.True(await container.CreateIfNotExistsAsync());
        await container.UploadAsync("clip one.mp4", BinaryData.FromString("frames"));
        Assert.Equal("frames", (await container.DownloadContentAsync("clip one.mp4")).Value.ToString());
        Assert.Equal("clip one.mp4", Assert.Single(await container.GetBlobsAsync().ToListAsync()).Name);
        Assert.True(await queue.CreateIfNotExistsAsync());
        await queue.SendMessageAsync("job");
        var message = Assert.Single((await queue.ReceiveMessagesAsync()).Value);
        await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
        Assert.Equal("job", message.MessageText);
    }
}
