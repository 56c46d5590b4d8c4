namespace EchoPipeline.Engine.Bundles;

/// <summary>
/// Alternative graphs of the bundle's components for particular execution providers (bundle.json <c>variants</c>,
/// docs/models.md "GPU variants"). Only the transformer has them; absent means the bundle has none.
/// </summary>
public sealed record BundleVariants(IReadOnlyList<TransformerVariant>? Transformer = null);

/// <summary>
/// One alternative transformer graph: the providers it is made for, the generation modes it serves (camelCase mode keys),
/// its file and signature. Its inputs are the transformer's; its outputs the transformer's or a prefix of them
/// (<c>audio_logits</c> alone: an image->audio graph that does not compute the image logits).
/// </summary>
public sealed record TransformerVariant(
    string Name,
    IReadOnlyList<string> ExecutionProviders,
    IReadOnlyList<string> Modes,
    string File,
    string Sha256,
    IReadOnlyList<TensorSpec> Inputs,
    IReadOnlyList<TensorSpec> Outputs,
    string? Attention = null,
    string? Weights = null)
{
    /// <summary>The variant as a component spec, for the file and signature checks every component gets.</summary>
    public ComponentSpec AsComponent() => new(File, Sha256, Inputs, Outputs);
}
