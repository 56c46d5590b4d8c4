namespace EchoPipeline.Engine.Generation.Unmasking;

/// <summary>
/// One modality of an unmasking request: either the guide (every token given, never changed; replaced by MASK
/// in the unconditional CFG rows) or a target (tokens to generate; -1 marks an unknown position, any other
/// value is a known token that is kept, as in inpainting and continuation).
/// </summary>
public sealed record ModalityTokens(ModalityRole Role, long[] Tokens)
{
    public const long Unknown = -1;

    public static ModalityTokens Guide(long[] tokens) => new(ModalityRole.Guide, tokens);

    /// <summary>A target with nothing known: generate all <paramref name="length"/> positions.</summary>
    public static ModalityTokens Generate(int length) => new(ModalityRole.Target, Enumerable.Repeat(Unknown, length).ToArray());

    /// <summary>A target with some positions known (-1 elsewhere): inpainting, outpainting, continuation.</summary>
    public static ModalityTokens Complete(long[] knownOrUnknown) => new(ModalityRole.Target, knownOrUnknown);
}
