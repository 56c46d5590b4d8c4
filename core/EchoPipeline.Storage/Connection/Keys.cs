namespace EchoPipeline.Storage.Connection;

/// <summary>Connection string keys, matched case-insensitively as the Azure SDKs do.</summary>
internal static class Keys
{
    public const string UseDevelopmentStorage = "UseDevelopmentStorage";
    public const string DefaultEndpointsProtocol = "DefaultEndpointsProtocol";
    public const string AccountName = "AccountName";
    public const string AccountKey = "AccountKey";
    public const string EndpointSuffix = "EndpointSuffix";
    public const string SharedAccessSignature = "SharedAccessSignature";
    public const string BlobEndpoint = "BlobEndpoint";
    public const string QueueEndpoint = "QueueEndpoint";

    /// <summary>Valid in storage connection strings but unused by this client (other services, secondary endpoints).</summary>
    public static readonly string[] Ignored =
    [
        "TableEndpoint", "FileEndpoint", "BlobSecondaryEndpoint", "QueueSecondaryEndpoint", "TableSecondaryEndpoint", "FileSecondaryEndpoint",
    ];

    private static readonly string[] Known =
    [
        UseDevelopmentStorage, DefaultEndpointsProtocol, AccountName, AccountKey, EndpointSuffix, SharedAccessSignature, BlobEndpoint, QueueEndpoint, .. Ignored,
    ];

    public static string? Canonical(string name) =>
        Array.Find(Known, key => string.Equals(key, name, StringComparison.OrdinalIgnoreCase));
}
