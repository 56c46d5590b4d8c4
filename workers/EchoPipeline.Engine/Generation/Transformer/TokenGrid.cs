namespace EchoPipeline.Engine.Generation.Transformer;

/// <summary>One modality's token sequence: its length and codebook size; the mask token is id C.</summary>
public readonly record struct TokenGrid(int Length, int Codebook)
{
    public long MaskId => Codebook;
}
