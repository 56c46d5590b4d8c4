using EchoPipeline.Engine.Generation.Noise;

namespace EchoPipeline.Engine.Generation.Unmasking;

/// <summary>
/// One request's share of a batched unmasking run. <see cref="Guidance"/> applies only when one modality is a guide
/// (co-generation has nothing to guide by, so it runs unguided, as in the paper).
/// </summary>
public sealed record UnmaskRequest(
    ModalityTokens Audio,
    ModalityTokens Image,
    int Steps,
    double Temperature,
    float Guidance,
    IUnmaskNoise Noise)
{
    public ModalityTokens this[Modality modality] => modality == Modality.Audio ? Audio : Image;

    public bool IsGuided =>
        Audio.Role == ModalityRole.Guide || Image.Role == ModalityRole.Guide;

    public float EffectiveGuidance => IsGuided ? Guidance : 1f;
}
