using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace EchoPipeline.Functions.Batches;

/// <summary>The <c>Batch</c> section: how big a POST jobs:batch may be and how many of its items are ingested at once.</summary>
public sealed class BatchOptions
{
    public const string SectionName = "Batch";

    /// <summary>
    /// Most items per request. Each item is ingested (probe, frames) within the request, and each job's completion reads
    /// the batch's job records, so the limit keeps both bounded; bigger sets go as several batches.
    /// </summary>
    [Range(1, 1000)]
    public int MaxItems { get; set; } = 100;

    /// <summary>Items ingested at once within one request.</summary>
    [Range(1, 32)]
    public int IngestConcurrency { get; set; } = 4;
}

/// <summary>Checks <see cref="BatchOptions"/>' ranges at start-up, generated at build time.</summary>
[OptionsValidator]
public sealed partial class BatchOptionsValidator : IValidateOptions<BatchOptions>;
