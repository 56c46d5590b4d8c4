using System.Globalization;
using EchoPipeline.Provenance.Watermarking;

namespace EchoPipeline.Engine.Generation;

/// <summary>
/// What produced an output: the bundle (id and bundle.json hash), every sampling parameter, and for audio outputs what
/// was done about the watermark (applied with its payload, or turned off and by whom).
/// </summary>
public sealed record GenerationProvenance(
    string BundleId, string BundleSha256, GenerationMode Mode, long Seed, int Steps, double Temperature, float Guidance,
    WatermarkStamp? Watermark = null)
{
    public const string Software = "EchoPipeline Visual Echoes";

    /// <summary>
    /// One line of key=value pairs, opening with the statement that the content is machine-generated; stable, so equal
    /// generations write equal bytes.
    /// </summary>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"ai_generated=true bundle={BundleId} sha256={BundleSha256} mode={Mode} seed={Seed} steps={Steps} temperature={Temperature:R} guidance={Guidance:R}")
        + (Watermark is { } watermark ? " " + watermark : "");

    /// <summary>RIFF INFO tags for <see cref="Audio.WavWriter"/>: ISFT (software) and ICMT (the provenance line).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ToWavInfo() => [new("ISFT", Software), new("ICMT", ToString())];
}
