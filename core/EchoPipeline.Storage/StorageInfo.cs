namespace EchoPipeline.Storage;

/// <summary>Placeholder so the project compiles until the client lands.</summary>
internal static class StorageInfo
{
}
