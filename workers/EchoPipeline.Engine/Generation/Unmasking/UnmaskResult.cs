namespace EchoPipeline.Engine.Generation.Unmasking;

/// <summary>A request's tokens after the last step (no MASK left) and, per target modality, the masked count after each step.</summary>
public sealed record UnmaskResult(
    long[] AudioTokens,
    long[] ImageTokens,
    int[] AudioMaskedAfterStep,
    int[] ImageMaskedAfterStep)
{
    public long[] Tokens(Modality modality) => modality == Modality.Audio ? AudioTokens : ImageTokens;

    public int[] MaskedAfterStep(Modality modality) => modality == Modality.Audio ? AudioMaskedAfterStep : ImageMaskedAfterStep;
}
