namespace EchoPipeline.Engine.Bundles;

/// <summary>The bundle's ONNX components; the last three are optional.</summary>
public sealed record BundleComponents(
    ComponentSpec ImageEncoder,
    ComponentSpec Transformer,
    ComponentSpec AudioDecoder,
    ComponentSpec? AudioEncoder = null,
    ComponentSpec? ImageDecoder = null,
    ComponentSpec? Vocoder = null)
{
    /// <summary>The component of a kind, or null when an optional one is absent.</summary>
    public ComponentSpec? this[ComponentKind kind] => kind switch
    {
        ComponentKind.ImageEncoder => ImageEncoder,
        ComponentKind.Transformer => Transformer,
        ComponentKind.AudioDecoder => AudioDecoder,
        ComponentKind.AudioEncoder => AudioEncoder,
        ComponentKind.ImageDecoder => ImageDecoder,
        ComponentKind.Vocoder => Vocoder,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}

/// <summary>One ONNX file of the bundle: where it is, its SHA-256 and its tensor signature.</summary>
public sealed record ComponentSpec(
    string File,
    string Sha256,
    IReadOnlyList<TensorSpec> Inputs,
    IReadOnlyList<TensorSpec> Outputs);

/// <summary>A named tensor: element type (<c>float32</c> or <c>int64</c>) and shape, <c>"batch"</c> first.</summary>
public sealed record TensorSpec(string Name, string Dtype, IReadOnlyList<TensorDimension> Shape)
{
    /// <inheritdoc />
    public override string ToString() => $"{Name} {Dtype} [{string.Join(",", Shape)}]";
}
