namespace EchoPipeline.Engine.Generation.Transformer;

/// <summary>The bidirectional masked transformer: [audio tokens, image tokens] -> per-position logits for both.</summary>
public interface ITokenTransformer
{
    TokenGrid Audio { get; }

    TokenGrid Image { get; }

    /// <summary>False for a graph that computes the audio logits alone (an image->audio variant): it cannot generate images.</summary>
    bool HasImageLogits => true;

    /// <summary>Buffers for <paramref name="rows"/> rows, allocated once and reused by every step of a batch.</summary>
    ITransformerBatch CreateBatch(int rows);
}
