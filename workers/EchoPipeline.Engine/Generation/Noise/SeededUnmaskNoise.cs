using EchoPipeline.Engine.Generation.Sampling;

namespace EchoPipeline.Engine.Generation.Noise;

/// <summary>
/// A request's noise from its seed: one xoshiro256** stream per modality (so co-generation's audio noise is
/// the same stream as image-to-audio's), each step drawing all uniforms then all Gumbels.
/// </summary>
public sealed class SeededUnmaskNoise(long seed) : IUnmaskNoise
{
    private const ulong ImageStreamSalt = 0x5851F42D4C957F2DUL;
    private readonly Xoshiro256StarStar _audio = new(unchecked((ulong)seed));
    private readonly Xoshiro256StarStar _image = new(unchecked((ulong)seed) ^ ImageStreamSalt);

    public void Fill(Modality modality, int step, Span<double> uniforms, Span<double> gumbels)
    {
        var random = modality == Modality.Audio ? _audio : _image;
        for (var i = 0; i < uniforms.Length; i++)
        {
            uniforms[i] = random.NextDouble();
        }

        for (var i = 0; i < gumbels.Length; i++)
        {
            gumbels[i] = ConfidenceRanker.Gumbel(random.NextOpenDouble());
        }
    }
}
