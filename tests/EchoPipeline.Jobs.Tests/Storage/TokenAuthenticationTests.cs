using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using EchoPipeline.Jobs.Storage;
using EchoPipeline.LocalServices;
using EchoPipeline.Testing;

namespace EchoPipeline.Jobs.Tests.Storage;

/// <summary>
/// Bearer tokens against a private Azurite started with HTTPS and "--oauth basic", which checks the token's audience,
/// issuer and lifetime (not its signature), so a locally made JWT stands in for a Microsoft Entra token.
/// </summary>
public sealed class TokenAuthenticationTests(TokenAuthenticationTests.HttpsOAuthAzurite fixture) : IClassFixture<TokenAuthenticationTests.HttpsOAuthAzurite>
{
    private readonly AzuriteServer _azurite = fixture.Server;

    [Fact]
    public async Task A_token_credential_authenticates_blob_and_queue_requests_with_the_storage_scope()
    {
        var credential = new RecordingTokenCredential(Jwt("https://storage.azure.com", DateTimeOffset.UtcNow.AddHours(1)));
        var storage = Storage(credential);
        var container = storage.Container("oauth");
        var queue = storage.Queue("oauth");

        await container.CreateIfNotExistsAsync();
        await container.GetBlobClient("a.txt").UploadAsync(BinaryData.FromString("bearer"), BlobUpload.As("text/plain"));
        await queue.CreateIfNotExistsAsync();
        await queue.SendMessageAsync("job");

        Assert.Equal("bearer", (await container.GetBlobClient("a.txt").DownloadContentAsync()).Value.Content.ToString());
        Assert.Equal("job", Assert.Single((await queue.ReceiveMessagesAsync()).Value).MessageText);
        Assert.All(credential.Scopes, scopes => Assert.Equal(["https://storage.azure.com/.default"], scopes));
        Assert.NotEmpty(credential.Scopes);
    }

    [Theory]
    [InlineData("https://vault.azure.net", 1, "Invalid token audience")]
    [InlineData("https://storage.azure.com", -1, "The token is expired")]
    public async Task Tokens_for_another_audience_or_expired_are_rejected(string audience, int hoursToExpiry, string reason)
    {
        var credential = new RecordingTokenCredential(Jwt(audience, DateTimeOffset.UtcNow.AddHours(hoursToExpiry)));

        var failure = await Assert.ThrowsAsync<RequestFailedException>(() => Storage(credential).Container("denied").CreateIfNotExistsAsync());

        Assert.Equal((403, "AuthenticationFailed"), (failure.Status, failure.ErrorCode));
        Assert.Contains(reason, failure.Message, StringComparison.Ordinal);
    }

    private EchoStorage Storage(TokenCredential credential)
    {
        var thumbprint = _azurite.Certificate!.Thumbprint;
        var options = new EchoStorageOptions { BlobServiceUri = _azurite.BlobEndpoint, QueueServiceUri = _azurite.QueueEndpoint, MaxRetries = 0 };
        return EchoStorage.Create(options, credential, clientOptions =>
            clientOptions.Transport = new HttpClientTransport(new HttpClientHandler
            {
                // Trust exactly the throwaway certificate this Azurite was started with.
                ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate?.Thumbprint == thumbprint,
            }));
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
