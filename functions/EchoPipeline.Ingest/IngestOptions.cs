using System.ComponentModel.DataAnnotations;

namespace EchoPipeline.Ingest;

/// <summary>Ingest settings (configuration section <c>Ingest</c>); media limits live in <c>Media</c>.</summary>
public sealed class IngestOptions
{
    public const string SectionName = "Ingest";

    /// <summary>The bundle the repository ships (models/echo-demo) and the images carry unless infra says otherwise.</summary>
    public const string DefaultBundleId = "echo-demo-3";

    /// <summary>
    /// The id (bundle.json <c>id</c>) of the model bundle the workers run: part of every job id, since a job's unset
    /// sampling parameters are that bundle's defaults. Infra sets it from the same value as the worker's bundle; the
    /// worker fails a job made for another bundle rather than run it on its own.
    /// </summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9._-]{1,64}$")]
    public string BundleId { get; set; } = DefaultBundleId;

    /// <summary>Largest URL download accepted; the transfer is cut off past it.</summary>
    [Range(1L, long.MaxValue)]
    public long MaxDownloadBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>Whole-download time limit for URL sources.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan DownloadTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Total time one ingest may take once its job record is written (download, probe, frames, enqueue). It must end
    /// before the host's functionTimeout (host.json) so the job is marked failed rather than left half done; a
    /// duplicate event that finds a pending record older than this takes the job over.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "02:00:00")]
    public TimeSpan Deadline { get; set; } = TimeSpan.FromMinutes(8);

    /// <summary>Allow URL sources and callbacks on private, loopback and link-local addresses (tests, private networks).</summary>
    public bool AllowPrivateNetworkSources { get; set; }

    /// <summary>Allow plain http URL sources (tests); https otherwise.</summary>
    public bool AllowHttpSources { get; set; }

    /// <summary>How many segment frames are extracted at once.</summary>
    [Range(1, 16)]
    public int FrameConcurrency { get; set; } = 2;

    /// <summary>Also store each frame as raw 256x256 rgb24 next to the PNG, so the worker needs no decoder.</summary>
    public bool WriteRawFrames { get; set; } = true;

    /// <summary>Where inputs are staged while FFmpeg reads them; the system temp folder when unset.</summary>
    public string? TempDirectory { get; set; }
}
