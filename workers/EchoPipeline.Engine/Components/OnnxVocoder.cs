using Microsoft.ML.OnnxRuntime;

namespace EchoPipeline.Engine.Components;

/// <summary>A neural vocoder from the bundle (MelGAN / HiFi-GAN): mel [0, 1] -> waveform.</summary>
public sealed class OnnxVocoder(InferenceSession session) : OnnxComponent(session), IVocoder
{
    public int Samples => Dimension("waveform", 1);

    public float[] Synthesize(float[] mels, CancellationToken cancellationToken = default)
    {
        var (bins, frames) = (Dimension("mel", 1), Dimension("mel", 2));
        var b = mels.Length / (bins * frames);
        var waveforms = new float[b * Samples];
        Run("mel", mels.AsMemory(), [b, bins, frames], "waveform", waveforms.AsMemory(), [b, Samples], cancellationToken);
        return waveforms;
    }
}
