using Microsoft.ML.OnnxRuntime;

namespace EchoPipeline.Engine.Components;

/// <summary>The SpecVQGAN codebook decoder: 265 audio tokens -> an 80x848 mel, returned in [0, 1] (the vocoder's range).</summary>
public sealed class AudioDetokenizer(InferenceSession session) : OnnxComponent(session)
{
    public int TokenCount => Dimension("audio_tokens", 1);

    public int MelBins => Dimension("mel", 1);

    public int Frames => Dimension("mel", 2);

    /// <summary>Mels [rows, MelBins, Frames] in [0, 1] for tokens [rows, TokenCount].</summary>
    public float[] Decode(long[] tokens, CancellationToken cancellationToken = default)
    {
        var b = tokens.Length / TokenCount;
        var mel = new float[b * MelBins * Frames];
        Run("audio_tokens", tokens.AsMemory(), [b, TokenCount], "mel", mel.AsMemory(), [b, MelBins, Frames], cancellationToken);

        // The decoder works on 2x-1; the vocoder and the dB mapping expect [0, 1].
        for (var i = 0; i < mel.Length; i++)
        {
            mel[i] = Math.Clamp((mel[i] + 1f) / 2f, 0f, 1f);
        }

        return mel;
    }
}
