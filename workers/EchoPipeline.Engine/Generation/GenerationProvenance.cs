using System.Globalization;
using EchoPipeline.Provenance.Watermarking;

namespace EchoPipeline.Engine.Generation;

/// <summary>
/// What produced an output: the bundle (id and bundle.json hash), every sampling parameter used, what the request asked
/// for (<see cref="Asked"/>: unset parameters took the bundle's defaults for the mode), and for audio outputs what was
/// done about the watermark (applied with its payload, or turned off and by whom).
/// </summary>
public sealed record GenerationProvenance(
    string BundleId, string BundleSha256, GenerationMode Mode, long Seed, int Steps, double Temperature, float Guidance,
    WatermarkStamp? Watermark = null)
{
    public const string Software = "EchoPipeline Visual Echoes";

    /// <summary>The sampling parameters the request set; null ones were the bundle's defaults for the mode.</summary>
    public AskedSampling? Asked { get; init; }

    /// <summary>
    /// The transformer graph that ran: <c>plain</c> (components.transformer) or a variant's name such as
    /// <c>cuda-fp16-fused</c>; float16 graphs sample slightly different tokens from the same seed. Null: not recorded.
    /// </summary>
    public string? Transformer { get; init; }

    /// <summary>
    /// One line of key=value pairs, opening with the statement that the content is machine-generated; stable, so equal
    /// generations write equal bytes.
    /// </summary>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"ai_generated=true bundle={BundleId} sha256={BundleSha256} mode={Mode} seed={Seed} steps={Steps} temperature={Temperature:R} guidance={Guidance:R}")
        + (Asked is { } asked ? " " + asked : "")
        + (Transformer is { } transformer ? " transformer=" + transformer : "")
        + (Watermark is { } watermark ? " " + watermark : "");

    /// <summary>RIFF INFO tags for <see cref="Audio.WavWriter"/>: ISFT (software) and ICMT (the provenance line).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ToWavInfo() => [new("ISFT", Software), new("ICMT", ToString())];
}

/// <summary>What a request asked of the sampler; a null value means "the bundle's default for the mode".</summary>
public sealed record AskedSampling(int? Steps, double? Temperature, float? Guidance)
{
    public static AskedSampling Of(EchoRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new(request.Steps, request.Temperature, request.Guidance);
    }

    /// <summary><c>asked=steps:30,temperature:default,guidance:default</c>: "default" where the bundle's value was used.</summary>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"asked=steps:{Value(Steps)},temperature:{Value(Temperature)},guidance:{Value(Guidance)}");

    private static string Value(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "default";

    private static string Value(double? value) => value?.ToString("R", CultureInfo.InvariantCulture) ?? "default";

    private static string Value(float? value) => value?.ToString("R", CultureInfo.InvariantCulture) ?? "default";
}
