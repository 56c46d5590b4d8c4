using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using EchoPipeline.LocalServices;
using EchoPipeline.Storage.Tests.Support;
using EchoPipeline.Testing;

namespace EchoPipeline.Storage.Tests.Authentication;

/// <summary>
/// Bearer tokens against a private Azurite started with HTTPS and "--oauth basic", which checks the token's audience,
/// issuer and lifetime (not its signature), so a locally made JWT stands in for a Microsoft Entra token.
/// </summary>
public sealed class TokenAuthenticationTests(TokenAuthenticationTests.HttpsOAuthAzurite fixture) : IClassFixture<TokenAuthenticationTests.HttpsOAuthAzurite>
{
    private readonly AzuriteServer _azurite = fixture.Server;

    [Fact]
    public async Task ATokenCredentialAuthenticatesBlobAndQueueRequestsWithTheStorageScope()
    {
        var credential = new RecordingTokenCredential(Jwt("https://storage.azure.com", DateTimeOffset.UtcNow.AddHours(1)));
        var account = new StorageAccount(_azurite.BlobEndpoint, _azurite.QueueEndpoint, credential, TrustingOptions());
        var container = account.GetBlobContainerClient("oauth");
        var queue = account.GetQueueClient("oauth");

        await container.CreateIfNotExistsAsync();
        await container.UploadAsync("a.txt", BinaryData.FromString("bearer"));
        await queue.CreateIfNotExistsAsync();
        await queue.SendMessageAsync("job");

        Assert.Equal("bearer", (await container.DownloadContentAsync("a.txt")).Value.ToString());
        Assert.Equal("job", Assert.Single((await queue.ReceiveMessagesAsync()).Value).MessageText);
        Assert.All(credential.Scopes, scopes => Assert.Equal(["https://storage.azure.com/.default"], scopes));
        Assert.NotEmpty(credential.Scopes);
    }

    [Theory]
    [InlineData("https://vault.azure.net", 1, "Invalid token audience")]
    [InlineData("https://storage.azure.com", -1, "The token is expired")]
    public async Task TokensForAnotherAudienceOrExpiredAreRejected(string audience, int hoursToExpiry, string reason)
    {
        var credential = new RecordingTokenCredential(Jwt(audience, DateTimeOffset.UtcNow.AddHours(hoursToExpiry)));
        var account = new StorageAccount(_azurite.BlobEndpoint, _azurite.QueueEndpoint, credential, TrustingOptions());

        var failure = await Assert.ThrowsAsync<RequestFailedException>(() => account.GetBlobContainerClient("denied").CreateIfNotExistsAsync());

        Assert.Equal((403, "AuthenticationFailed"), (failure.Status, failure.ErrorCode));
        Assert.Contains(reason, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BearerTokensAreNotSentOverPlainHttp()
    {
        var credential = new RecordingTokenCredential(Jwt("https://storage.azure.com", DateTimeOffset.UtcNow.AddHours(1)));
        var account = new StorageAccount(new Uri("http://127.0.0.1:1/acct"), null, credential);

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => account.GetBlobContainerClient("c").CreateIfNotExistsAsync());

        Assert.Contains("https", failure.Message, StringComparison.OrdinalIgnoreCase);
    }

    private StorageClientOptions TrustingOptions()
    {
        var thumbprint = _azurite.Certificate!.Thumbprint;
        var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate?.Thumbprint == thumbprint };
        return new StorageClientOptions { Transport = new HttpClientTransport(handler) };
    }

    private static string Jwt(string audience, DateTimeOffset expiresOn)
    {
        static string Part(object value) => Convert.ToBase64String(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(value))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var tenant = Guid.NewGuid();
        var claims = new Dictionary<string, object>
        {
            ["aud"] = audience,
            ["iss"] = $"https://sts.windows.net/{tenant}/",
            ["tid"] = tenant.ToString(),
            ["oid"] = Guid.NewGuid().ToString(),
            ["iat"] = expiresOn.AddHours(-2).ToUnixTimeSeconds(),
            ["nbf"] = expiresOn.AddHours(-2).ToUnixTimeSeconds(),
            ["exp"] = expiresOn.ToUnixTimeSeconds(),
        };
        return $"{Part(new { alg = "RS256", typ = "JWT" })}.{Part(claims)}.c2lnbmF0dXJl";
    }

    private sealed class RecordingTokenCredential(string token) : TokenCredential
    {
        public ConcurrentQueue<string[]> Scopes { get; } = new();

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Scopes.Enqueue(requestContext.Scopes);
            return new AccessToken(token, DateTimeOffset.UtcNow.AddMinutes(30));
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new(GetToken(requestContext, cancellationToken));
    }

    /// <summary>A private Azurite serving HTTPS with bearer-token checks.</summary>
    public sealed class HttpsOAuthAzurite() : AzuriteFixture(new AzuriteOptions { Https = true, OAuth = true });
}
