using EchoPipeline.Testing;

namespace EchoPipeline.Storage.Tests.Support;

/// <summary>xunit collection: all Azurite-backed tests share one emulator process (and run one class at a time).</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteGroup : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
