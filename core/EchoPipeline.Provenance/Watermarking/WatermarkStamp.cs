using System.Globalization;

namespace EchoPipeline.Provenance.Watermarking;

/// <summary>
/// What happened about the mark for one output, as provenance records it: applied (scheme, payload, key id and the
/// measured SNR) or not, and then who turned it off (<see cref="DisabledByBundle"/> or <see cref="DisabledByDeployment"/>).
/// </summary>
public sealed record WatermarkStamp
{
    public const string DisabledByBundle = "bundle";
    public const string DisabledByDeployment = "deployment";

    public required bool Applied { get; init; }

    public string Scheme { get; init; } = WatermarkScheme.Name;

    public WatermarkPayload? Payload { get; init; }

    public string? KeyId { get; init; }

    public double? SnrDb { get; init; }

    public string? DisabledBy { get; init; }

    public static WatermarkStamp From(WatermarkEmbedding embedding)
    {
        ArgumentNullException.ThrowIfNull(embedding);
        return new WatermarkStamp { Applied = true, Payload = embedding.Payload, KeyId = embedding.KeyId, SnrDb = embedding.SnrDb };
    }

    public static WatermarkStamp Off(string disabledBy) => new() { Applied = false, DisabledBy = disabledBy };

    /// <summary>key=value pairs for a provenance line: <c>watermark=echo-wm/1 payload=3f2a91c5 key=d3429720</c> or <c>watermark=off disabled_by=bundle</c>.</summary>
    public override string ToString() => Applied
        ? string.Create(CultureInfo.InvariantCulture, $"watermark={Scheme} payload={Payload} key={KeyId}")
        : $"watermark=off disabled_by={DisabledBy}";
}
