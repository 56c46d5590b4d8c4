using EchoPipeline.Provenance.Watermarking;

namespace EchoPipeline.Engine.Generation.Watermarking;

/// <summary>
/// What the deployment asks of the engine's watermark: on (the default) or off, and the key. The bundle has its own say
/// (<see cref="Bundles.BundleWatermark"/>): the mark is applied only when both allow it.
/// </summary>
public sealed record WatermarkPolicy
{
    public bool Enabled { get; init; } = true;

    public required WatermarkKey Key { get; init; }

    /// <summary>On, with the documented public key: right for local runs, useless as proof (docs/provenance.md).</summary>
    public static WatermarkPolicy PublicDefault => new() { Key = WatermarkKey.PublicDefault };

    public static WatermarkPolicy Off => new() { Enabled = false, Key = WatermarkKey.PublicDefault };
}
