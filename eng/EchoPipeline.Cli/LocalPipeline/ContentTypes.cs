namespace EchoPipeline.Cli.LocalPipeline;

/// <summary>Content-Type for uploads by extension; the ingest probes the bytes anyway, so this is informational.</summary>
internal static class ContentTypes
{
    private static readonly Dictionary<string, string> ByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        [".mp4"] = "video/mp4", [".m4v"] = "video/mp4", [".mov"] = "video/quicktime", [".mkv"] = "video/x-matroska",
        [".webm"] = "video/webm", [".avi"] = "video/x-msvideo", [".png"] = "image/png", [".jpg"] = "image/jpeg",
        [".jpeg"] = "image/jpeg", [".gif"] = "image/gif", [".webp"] = "image/webp", [".bmp"] = "image/bmp",
    };

    public static string For(string name) =>
        ByExtension.TryGetValue(Path.GetExtension(name), out var type) ? type : "application/octet-stream";
}
