using EchoPipeline.LocalServices;
using Xunit;

namespace EchoPipeline.Testing;

/// <summary>
/// xunit class/collection fixture: one Azurite (HTTP, in memory) for the tests sharing it. Use it with
/// <c>IClassFixture&lt;AzuriteFixture&gt;</c> or a <c>[CollectionDefinition]</c> implementing <c>ICollectionFixture&lt;AzuriteFixture&gt;</c>.
/// </summary>
public class AzuriteFixture : IAsyncLifetime
{
    private readonly AzuriteOptions _options;
    private AzuriteServer? _server;

    public AzuriteFixture()
        : this(new AzuriteOptions())
    {
    }

    protected AzuriteFixture(AzuriteOptions options) => _options = options;

    public AzuriteServer Server => _server ?? throw new InvalidOperationException("Azurite has not been started; xunit calls InitializeAsync before the tests.");

    public string ConnectionString => Server.ConnectionString;

    public async Task InitializeAsync() => _server = await AzuriteServer.StartAsync(RepoPaths.Azurite, _options);

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
