using EchoPipeline.Ingest;

namespace EchoPipeline.Cli.Batch;

/// <summary>
/// What `batch` was asked to do. Exactly one of <see cref="Manifest"/> (a .csv or .jsonl file) and
/// <see cref="InputsFolder"/> is set. Row values override <see cref="Variations"/>, <see cref="Steps"/>,
/// <see cref="Temperature"/>, <see cref="Guidance"/> and <see cref="Seed"/> for their row.
/// </summary>
internal sealed record BatchSettings(string? Manifest, string? InputsFolder, string OutFolder, int Variations, long Seed, TimeSpan Timeout)
{
    public int? Steps { get; init; }

    public double? Temperature { get; init; }

    public double? Guidance { get; init; }

    /// <summary>Id of the bundle the workers run: job ids name it, as the ingest's Ingest:BundleId does.</summary>
    public string BundleId { get; init; } = IngestOptions.DefaultBundleId;

    /// <summary>Stage and create the jobs, then stop (the benchmark's measure); no dataset is written.</summary>
    public bool SubmitOnly { get; init; }

    /// <summary>Jobs in flight at once; the manifest is read no further ahead than this.</summary>
    public int Window { get; init; } = 256;

    /// <summary>Inputs staged and ingested at once (each ingest runs ffprobe and ffmpeg).</summary>
    public int SubmitConcurrency { get; init; } = 4;

    /// <summary>The folder manifest paths are relative to.</summary>
    public string RowsFolder => InputsFolder ?? Path.GetDirectoryName(Path.GetFullPath(Manifest!))!;

    public IEnumerable<ManifestRow> Rows() => Manifest is not null ? ManifestReader.Read(Manifest) : ManifestReader.ReadFolder(InputsFolder!);
}
