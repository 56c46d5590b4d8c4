namespace EchoPipeline.Storage.Connection;

/// <summary>Splits "Key=Value;Key=Value" into a dictionary with canonical key spelling, rejecting unknown and repeated keys.</summary>
internal static class ConnectionStringSettings
{
    public static Dictionary<string, string> Split(string connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw StorageConnectionString.Invalid("it is empty.");
        }

        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var segment in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = segment.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                // Only the part before any '=' is echoed, so a malformed secret never lands in a log.
                throw StorageConnectionString.Invalid($"segment '{(equals < 0 ? segment : "=...")}' is not Key=Value.");
            }

            var name = segment[..equals].Trim();
            var key = Keys.Canonical(name)
                ?? throw StorageConnectionString.Invalid($"unknown key '{name}'.");
            if (!settings.TryAdd(key, segment[(equals + 1)..].Trim()))
            {
                throw StorageConnectionString.Invalid($"key '{key}' appears more than once.");
            }
        }

        foreach (var ignored in Keys.Ignored)
        {
            settings.Remove(ignored);
        }

        return settings;
    }
}
