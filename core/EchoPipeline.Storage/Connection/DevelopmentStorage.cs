namespace EchoPipeline.Storage.Connection;

/// <summary>The storage emulator's well-known account (public, documented for Azurite), used by UseDevelopmentStorage=true.</summary>
public static class DevelopmentStorage
{
    public const string AccountName = "devstoreaccount1";

    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    public static Uri BlobEndpoint { get; } = new("http://127.0.0.1:10000/devstoreaccount1");

    public static Uri QueueEndpoint { get; } = new("http://127.0.0.1:10001/devstoreaccount1");
}
