using EchoPipeline.Testing;

namespace EchoPipeline.Storage.Tests.Support;

/// <summary>Clients on the shared Azurite with names unique to each test, so tests never see each other's data.</summary>
internal static class TestStorage
{
    public static StorageAccount Account(AzuriteFixture azurite, Action<StorageClientOptions>? configure = null)
    {
        var options = new StorageClientOptions();
        configure?.Invoke(options);
        return new StorageAccount(azurite.ConnectionString, options);
    }

    public static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 17, 63)];
}
