namespace EchoPipeline.Worker.Memory;

/// <summary>
/// An estimate of what one image->audio job of a batch holds at its peak, from the model's dimensions (docs/performance.md,
/// "Batch size from memory"). Guidance runs two transformer rows per job; each row holds, within the block that runs,
/// about <see cref="LiveActivationsPerPosition"/> x width activations per position (residual, normalized input, q, k, v,
/// attention output, the MLP's 4 x width hidden layer and output), the attention scores of its heads unless the attention
/// is fused, and its logits (in the graph's element type, then cast to float32); after the transformer the audio
/// decoder and vocoder hold about <see cref="PostTransformerChannels"/> channels over the mel and the waveform.
/// </summary>
/// <param name="Positions">Audio plus image token positions (265 + 256 = 521 at the paper's size).</param>
/// <param name="Width">The transformer's width (1024 at the paper's size); its heads are width / 64.</param>
/// <param name="LogitsPerRow">Audio positions x audio codebook + image positions x image codebook.</param>
/// <param name="PostTransformerElements">Mel bins x frames plus waveform samples.</param>
/// <param name="BytesPerElement">2 for a float16 graph, 4 for float32.</param>
/// <param name="FusedAttention">A fused attention op never materializes the heads x positions x positions scores.</param>
public sealed record JobMemory(int Positions, int Width, long LogitsPerRow, long PostTransformerElements, int BytesPerElement, bool FusedAttention)
{
    public const int GuidedRows = 2;

    public const int LiveActivationsPerPosition = 12;

    public const int HeadSize = 64;

    public const int PostTransformerChannels = 128;

    /// <summary>One transformer row at its peak, in bytes.</summary>
    public long TransformerRowBytes =>
        ((long)Positions * Width * LiveActivationsPerPosition * BytesPerElement)
        + (FusedAttention ? 0 : 2L * (Width / HeadSize) * Positions * Positions * BytesPerElement)
        + (LogitsPerRow * (BytesPerElement + sizeof(float)));

    /// <summary>One job (its guided rows, then its decoding and vocoding), in bytes.</summary>
    public long Bytes => (GuidedRows * TransformerRowBytes) + (PostTransformerElements * PostTransformerChannels * sizeof(float));
}
