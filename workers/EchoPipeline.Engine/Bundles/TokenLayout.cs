using System.Text.Json.Serialization;

namespace EchoPipeline.Engine.Bundles;

/// <summary>Token grids and codebooks of both modalities, and their order in the transformer's sequence.</summary>
public sealed record TokenLayout(ModalityTokenLayout Audio, ModalityTokenLayout Image, IReadOnlyList<string> Order);

/// <summary>One modality's token grid (rows x columns, row-major) and codebook; the mask id is the codebook size.</summary>
public sealed record ModalityTokenLayout(IReadOnlyList<int> Grid, int CodebookSize, int MaskId)
{
    /// <summary>Number of tokens: rows times columns.</summary>
    [JsonIgnore]
    public int Length => Grid.Count == 2 ? Grid[0] * Grid[1] : 0;
}
