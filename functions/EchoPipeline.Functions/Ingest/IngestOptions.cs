namespace EchoPipeline.Functions.Ingest;

/// <summary>Ingest settings (configuration section <c>Ingest</c>); media limits live in <c>Media</c>.</summary>
public sealed class IngestOptions
{
    public const string SectionName = "Ingest";

    /// <summary>Largest URL download accepted; the transfer is cut off past it.</summary>
    public long MaxDownloadBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>Whole-download time limit for URL sources.</summary>
    public TimeSpan DownloadTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Allow URL sources and callbacks on private, loopback and link-local addresses (tests, private networks).</summary>
    public bool AllowPrivateNetworkSources { get; set; }

    /// <summary>Allow plain http URL sources (tests); https otherwise.</summary>
    public bool AllowHttpSources { get; set; }

    /// <summary>How many segment frames are extracted at once.</summary>
    public int FrameConcurrency { get; set; } = 2;

    /// <summary>Also store each frame as raw 256x256 rgb24 next to the PNG, so the worker needs no decoder.</summary>
    public bool WriteRawFrames { get; set; } = true;

    /// <summary>Where inputs are staged while FFmpeg reads them; the system temp folder when unset.</summary>
    public string? TempDirectory { get; set; }
}
