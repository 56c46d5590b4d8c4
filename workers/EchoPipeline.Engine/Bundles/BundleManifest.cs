using EchoPipeline.Engine.Generation.Sampling;

namespace EchoPipeline.Engine.Bundles;

/// <summary>The contents of a bundle's <c>bundle.json</c> (docs/bundle-format.md).</summary>
public sealed record BundleManifest(
    int FormatVersion,
    string Id,
    string License,
    BundleProvenance Provenance,
    TokenLayout Tokens,
    AudioSettings Audio,
    SamplingDefaults Sampling,
    BundleComponents Components,
    string? Description = null,
    BundleWatermark? Watermark = null,
    BundleVariants? Variants = null)
{
    /// <summary>The only manifest version this engine reads.</summary>
    public const int SupportedFormatVersion = 1;

    /// <summary>The manifest's file name inside a bundle folder.</summary>
    public const string FileName = "bundle.json";
}

/// <summary>How the bundle was made: the command, seed and data, so its outputs can be traced back.</summary>
public sealed record BundleProvenance(
    string Command,
    long? Seed = null,
    string? Data = null,
    string? CreatedBy = null,
    DateTimeOffset? CreatedAt = null);

/// <summary>
/// Whether the engine may mark this bundle's outputs (docs/provenance.md). Absent means yes; a bundle that turns the
/// mark off says why, and every output's provenance records that the bundle did.
/// </summary>
public sealed record BundleWatermark(bool Enabled = true, string? Reason = null);

/// <summary>
/// Default guided-unmasking parameters: steps N, temperature T, guidance scale s for every mode, and optionally per
/// mode (keyed by camelCase <see cref="Generation.GenerationMode"/>: imageToAudio, audioToImage, coGeneration) the
/// values that differ: the paper guides image-to-audio but generates images without guidance. <see cref="GuidanceSpace"/>
/// is where guidance mixes the two predictions, for every mode (absent: logits).
/// </summary>
public sealed record SamplingDefaults(
    int Steps,
    double Temperature,
    double Guidance,
    IReadOnlyDictionary<string, ModeSamplingDefaults>? Modes = null,
    GuidanceSpace GuidanceSpace = GuidanceSpace.Logits);

/// <summary>One mode's overrides of <see cref="SamplingDefaults"/>; absent values keep the top-level ones.</summary>
public sealed record ModeSamplingDefaults(int? Steps = null, double? Temperature = null, double? Guidance = null);
