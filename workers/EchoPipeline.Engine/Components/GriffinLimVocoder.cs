using EchoPipeline.Engine.Audio;

namespace EchoPipeline.Engine.Components;

/// <summary>The fallback vocoder: fast Griffin-Lim with the bundle's mel parameters, clips in parallel.</summary>
public sealed class GriffinLimVocoder(GriffinLim griffinLim) : IVocoder
{
    public int Samples => griffinLim.Parameters.OutputSamples;

    public float[] Synthesize(float[] mels, CancellationToken cancellationToken = default)
    {
        var melLength = griffinLim.Parameters.MelLength;
        var b = mels.Length / melLength;
        var waveforms = new float[b * Samples];
        Parallel.For(0, b, new ParallelOptions { MaxDegreeOfParallelism = griffinLim.Options.MaxDegreeOfParallelism, CancellationToken = cancellationToken }, i =>
            griffinLim.Synthesize(mels.AsSpan(i * melLength, melLength), waveforms.AsSpan(i * Samples, Samples), cancellationToken));
        return waveforms;
    }
}
