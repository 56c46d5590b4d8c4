namespace EchoPipeline.Cli.Batch;

/// <summary>
/// One row of a batch manifest, numbered from 1 in manifest order (a CSV header is not a row). <see cref="Problem"/>
/// says why the row cannot be used (a bad value, a malformed line); such a row becomes a failed dataset row.
/// </summary>
internal sealed record ManifestRow(int Row, string Input, RowParameters Parameters, string? Problem = null);

/// <summary>What a row may set for itself; unset values come from the command line.</summary>
internal sealed record RowParameters(int? Steps = null, double? Temperature = null, double? Guidance = null, long? Seed = null, int? Variations = null)
{
    /// <summary>The column or field names a manifest may use, besides <c>input</c>.</summary>
    public static IReadOnlyList<string> Names { get; } = ["steps", "temperature", "guidance", "seed", "variations"];
}
