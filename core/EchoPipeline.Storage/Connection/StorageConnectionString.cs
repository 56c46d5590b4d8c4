using Azure;

namespace EchoPipeline.Storage.Connection;

/// <summary>
/// A parsed storage connection string: endpoints plus either an account key (SharedKey) or a SAS token.
/// Accepts <c>UseDevelopmentStorage=true</c>, <c>AccountName/AccountKey/EndpointSuffix/DefaultEndpointsProtocol</c>
/// and explicit <c>BlobEndpoint=/QueueEndpoint=</c> forms.
/// </summary>
public sealed class StorageConnectionString
{
    private StorageConnectionString(Uri? blobEndpoint, Uri? queueEndpoint, AzureNamedKeyCredential? sharedKey, string? sas)
    {
        BlobEndpoint = blobEndpoint;
        QueueEndpoint = queueEndpoint;
        SharedKey = sharedKey;
        SharedAccessSignature = sas;
    }

    /// <summary>The Blob service endpoint, or null when the string names none and no account to derive it from.</summary>
    public Uri? BlobEndpoint { get; }

    /// <summary>The Queue service endpoint, or null when the string names none and no account to derive it from.</summary>
    public Uri? QueueEndpoint { get; }

    /// <summary>Account name and key when the string carries AccountKey.</summary>
    public AzureNamedKeyCredential? SharedKey { get; }

    /// <summary>The SAS token (without a leading '?') when the string carries SharedAccessSignature.</summary>
    public string? SharedAccessSignature { get; }

    /// <summary>Parses a connection string; a malformed one throws <see cref="ArgumentException"/> naming the offending key.</summary>
    public static StorageConnectionString Parse(string connectionString)
    {
        try
        {
            return ParseSettings(ConnectionStringSettings.Split(connectionString));
        }
        catch (FormatException exception)
        {
            throw new ArgumentException($"Invalid storage connection string: {exception.Message}", nameof(connectionString), exception);
        }
    }

    private static StorageConnectionString ParseSettings(Dictionary<string, string> settings)
    {
        if (settings.TryGetValue(Keys.UseDevelopmentStorage, out var development))
        {
            return ParseDevelopmentStorage(settings, development);
        }

        var accountName = settings.GetValueOrDefault(Keys.AccountName);
        var accountKey = settings.GetValueOrDefault(Keys.AccountKey);
        var sas = settings.GetValueOrDefault(Keys.SharedAccessSignature)?.TrimStart('?');
        var sharedKey = ReadSharedKey(accountName, accountKey, sas);
        if (sharedKey is null && string.IsNullOrEmpty(sas))
        {
            throw Invalid($"it has neither '{Keys.AccountKey}' nor '{Keys.SharedAccessSignature}'; one is needed to authenticate.");
        }

        var blob = ReadEndpoint(settings, Keys.BlobEndpoint, "blob", accountName);
        var queue = ReadEndpoint(settings, Keys.QueueEndpoint, "queue", accountName);
        if (blob is null && queue is null)
        {
            throw Invalid($"it names no '{Keys.BlobEndpoint}'/'{Keys.QueueEndpoint}' and no '{Keys.AccountName}' to derive them from.");
        }

        return new StorageConnectionString(blob, queue, sharedKey, sas);
    }

    private static StorageConnectionString ParseDevelopmentStorage(Dictionary<string, string> settings, string value)
    {
        if (!string.Equals(value, "true", StringComparison.OrdinalIgnoreCase))
        {
            throw Invalid($"'{Keys.UseDevelopmentStorage}' must be 'true', not '{value}'.");
        }

        var other = settings.Keys.FirstOrDefault(key => key != Keys.UseDevelopmentStorage);
        if (other is not null)
        {
            throw Invalid($"'{other}' cannot be combined with '{Keys.UseDevelopmentStorage}=true'.");
        }

        return new StorageConnectionString(
            DevelopmentStorage.BlobEndpoint,
            DevelopmentStorage.QueueEndpoint,
            new AzureNamedKeyCredential(DevelopmentStorage.AccountName, DevelopmentStorage.AccountKey),
            sas: null);
    }

    private static AzureNamedKeyCredential? ReadSharedKey(string? accountName, string? accountKey, string? sas)
    {
        if (accountKey is null)
        {
            return null;
        }

        if (sas is not null)
        {
            throw Invalid($"'{Keys.AccountKey}' and '{Keys.SharedAccessSignature}' cannot both be given.");
        }

        if (string.IsNullOrEmpty(accountName))
        {
            throw Invalid($"'{Keys.AccountKey}' needs '{Keys.AccountName}'.");
        }

        Span<byte> decoded = stackalloc byte[accountKey.Length];
        if (accountKey.Length == 0 || !Convert.TryFromBase64String(accountKey, decoded, out _))
        {
            throw Invalid($"'{Keys.AccountKey}' is not a base64 key.");
        }

        return new AzureNamedKeyCredential(accountName, accountKey);
    }

    private static Uri? ReadEndpoint(Dictionary<string, string> settings, string key, string service, string? accountName)
    {
        if (settings.TryGetValue(key, out var explicitEndpoint))
        {
            if (!Uri.TryCreate(explicitEndpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                throw Invalid($"'{key}' must be an absolute http(s) URI, not '{explicitEndpoint}'.");
            }

            return uri;
        }

        if (string.IsNullOrEmpty(accountName))
        {
            return null;
        }

        var protocol = settings.GetValueOrDefault(Keys.DefaultEndpointsProtocol, "https").ToLowerInvariant();
        if (protocol is not ("http" or "https"))
        {
            throw Invalid($"'{Keys.DefaultEndpointsProtocol}' must be 'http' or 'https', not '{protocol}'.");
        }

        var suffix = settings.GetValueOrDefault(Keys.EndpointSuffix, "core.windows.net");
        if (!Uri.TryCreate($"{protocol}://{accountName}.{service}.{suffix}", UriKind.Absolute, out var derived) || derived.AbsolutePath != "/")
        {
            throw Invalid($"'{Keys.AccountName}'/'{Keys.EndpointSuffix}' do not form a host name ('{accountName}.{service}.{suffix}').");
        }

        return derived;
    }

    internal static FormatException Invalid(string reason) => new(reason);
}
