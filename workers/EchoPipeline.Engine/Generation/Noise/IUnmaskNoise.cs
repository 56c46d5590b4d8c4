namespace EchoPipeline.Engine.Generation.Noise;

/// <summary>
/// The randomness of one request's unmasking: per step and per position, a uniform U in [0,1) for sampling
/// and a Gumbel(0,1) draw for the confidence. Drawn for every position, masked or not, so the sequence
/// depends only on the request (never on the batch or on which positions happen to be masked).
/// Steps are requested in order, once each, per modality.
/// </summary>
public interface IUnmaskNoise
{
    void Fill(Modality modality, int step, Span<double> uniforms, Span<double> gumbels);
}
