namespace EchoPipeline.Engine.Bundles;

/// <summary>The components a bundle may hold (manifest keys are the camelCase names).</summary>
public enum ComponentKind
{
    ImageEncoder,
    Transformer,
    AudioDecoder,
    AudioEncoder,
    ImageDecoder,
    Vocoder,
}
