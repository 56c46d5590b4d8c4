using System.Globalization;

namespace EchoPipeline.Engine.Generation;

/// <summary>What produced an output: the bundle (id and bundle.json hash) and every sampling parameter.</summary>
public sealed record GenerationProvenance(
    string BundleId, string BundleSha256, GenerationMode Mode, long Seed, int Steps, double Temperature, float Guidance)
{
    public const string Software = "EchoPipeline Visual Echoes";

    /// <summary>One line of key=value pairs; stable, so equal generations write equal bytes.</summary>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"bundle={BundleId} sha256={BundleSha256} mode={Mode} seed={Seed} steps={Steps} temperature={Temperature:R} guidance={Guidance:R}");

    /// <summary>RIFF INFO tags for <see cref="Audio.WavWriter"/>: ISFT (software) and ICMT (the provenance line).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ToWavInfo() => [new("ISFT", Software), new("ICMT", ToString())];
}
