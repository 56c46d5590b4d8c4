using EchoPipeline.Engine.Generation.Transformer;

namespace EchoPipeline.Engine.Generation.Unmasking;

/// <summary>Rejects a request the loop cannot run, naming the request, the field and the mismatch.</summary>
internal static class UnmaskRequestValidator
{
    public static void Validate(UnmaskRequest request, int index, ITokenTransformer transformer)
    {
        if (request.Steps < 1)
        {
            throw new ArgumentException($"Request {index}: Steps is {request.Steps}; it must be at least 1.", nameof(request));
        }

        if (!double.IsFinite(request.Temperature) || request.Temperature < 0)
        {
            throw new ArgumentException($"Request {index}: Temperature is {request.Temperature}; it must be finite and >= 0.", nameof(request));
        }

        if (!float.IsFinite(request.Guidance))
        {
            throw new ArgumentException($"Request {index}: Guidance is {request.Guidance}; it must be finite.", nameof(request));
        }

        if (request.Audio.Role == ModalityRole.Guide && request.Image.Role == ModalityRole.Guide)
        {
            throw new ArgumentException($"Request {index}: both modalities are guides; nothing to generate.", nameof(request));
        }

        if (request.Image.Role == ModalityRole.Target && !transformer.HasImageLogits)
        {
            throw new ArgumentException($"Request {index}: generates an image, but this transformer graph computes audio logits alone (an image->audio variant).", nameof(request));
        }

        Check(request.Audio, Modality.Audio, transformer.Audio, index);
        Check(request.Image, Modality.Image, transformer.Image, index);
    }

    private static void Check(ModalityTokens tokens, Modality modality, TokenGrid grid, int index)
    {
        if (tokens.Tokens.Length != grid.Length)
        {
            throw new ArgumentException(
                $"Request {index}: {modality} tokens has {tokens.Tokens.Length} entries; the transformer's {modality} grid has {grid.Length}.");
        }

        var lowest = tokens.Role == ModalityRole.Guide ? 0 : ModalityTokens.Unknown;
        var bad = Array.FindIndex(tokens.Tokens, t => t < lowest || t >= grid.Codebook);
        if (bad >= 0)
        {
            throw new ArgumentException(
                $"Request {index}: {modality} {tokens.Role} token at position {bad} is {tokens.Tokens[bad]}; " +
                $"it must be in [{lowest}, {grid.Codebook - 1}] (codebook {grid.Codebook}).");
        }
    }
}
