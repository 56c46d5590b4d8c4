using Microsoft.ML.OnnxRuntime;

namespace EchoPipeline.Engine.Components;

/// <summary>The SpecVQGAN codebook encoder: an 80x848 mel in [0, 1] -> 265 audio tokens (5 rows of 53 time columns).</summary>
public sealed class AudioTokenizer(InferenceSession session) : OnnxComponent(session)
{
    public int TokenCount => Dimension("audio_tokens", 1);

    public int MelBins => Dimension("mel", 1);

    public int Frames => Dimension("mel", 2);

    /// <summary>Tokens [rows, TokenCount] for mels [rows, MelBins, Frames] in [0, 1].</summary>
    public long[] Tokenize(ReadOnlySpan<float> mels, CancellationToken cancellationToken = default)
    {
        var melLength = MelBins * Frames;
        if (mels.Length % melLength != 0)
        {
            throw new ArgumentException($"Mels hold {mels.Length} values, not a multiple of {MelBins}x{Frames}.", nameof(mels));
        }

        var b = mels.Length / melLength;
        var scaled = new float[mels.Length];
        for (var i = 0; i < scaled.Length; i++)
        {
            scaled[i] = (2f * mels[i]) - 1f;
        }

        var tokens = new long[b * TokenCount];
        Run("mel", scaled.AsMemory(), [b, MelBins, Frames], "audio_tokens", tokens.AsMemory(), [b, TokenCount], cancellationToken);
        return tokens;
    }
}
