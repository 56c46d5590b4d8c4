using System.Text.Json;

namespace EchoPipeline.Engine.Bundles;

/// <summary>Reads and validates <c>bundle.json</c>; every failure names the file and the field.</summary>
public static class ManifestReader
{
    public static BundleManifest Read(string manifestPath)
    {
        byte[] json;
        try
        {
            json = File.ReadAllBytes(manifestPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BundleLoadException(manifestPath, $"cannot read the manifest ({e.Message}).", e);
        }

        return Parse(json, manifestPath);
    }

    /// <summary>Parses manifest bytes; <paramref name="manifestPath"/> only names the source in errors.</summary>
    public static BundleManifest Parse(ReadOnlySpan<byte> json, string manifestPath)
    {
        CheckFormatVersion(json, manifestPath);
        BundleManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize(json, BundleJsonContext.Default.BundleManifest);
        }
        catch (JsonException e)
        {
            throw new BundleLoadException(manifestPath, $"invalid manifest at {FieldPath(e.Path)}: {e.Message}", e);
        }

        if (manifest is null)
        {
            throw new BundleLoadException(manifestPath, "the manifest is null.");
        }

        var problems = ManifestValidator.Problems(manifest);
        if (problems.Count > 0)
        {
            throw new BundleLoadException(manifestPath, string.Join(" ", problems));
        }

        return manifest;
    }

    /// <summary>Checked before the full read, so a newer manifest is reported as such, not as a list of odd fields.</summary>
    private static void CheckFormatVersion(ReadOnlySpan<byte> json, string manifestPath)
    {
        int? version;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            using var document = JsonDocument.ParseValue(ref reader);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new BundleLoadException(manifestPath, "the manifest must be a JSON object.");
            }

            version = document.RootElement.TryGetProperty("formatVersion", out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n) ? n : null;
        }
        catch (JsonException e)
        {
            throw new BundleLoadException(manifestPath, $"malformed JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {e.Message}", e);
        }

        if (version != BundleManifest.SupportedFormatVersion)
        {
            var found = version is null ? "is missing or not an integer" : $"is {version}";
            throw new BundleLoadException(manifestPath, $"formatVersion {found}; this engine reads formatVersion {BundleManifest.SupportedFormatVersion}.");
        }
    }

    private static string FieldPath(string? jsonPath) =>
        string.IsNullOrEmpty(jsonPath) || jsonPath == "$" ? "the top level" : jsonPath.TrimStart('$', '.');
}
