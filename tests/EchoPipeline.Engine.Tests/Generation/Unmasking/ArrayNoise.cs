using EchoPipeline.Engine.Generation;
using EchoPipeline.Engine.Generation.Noise;

namespace EchoPipeline.Engine.Tests.Generation.Unmasking;

/// <summary>Noise injected from arrays [N][L] (the reference fixture's, or hand-made) for one target modality.</summary>
internal sealed class ArrayNoise(Modality modality, double[][] uniforms, double[][] gumbels) : IUnmaskNoise
{
    public void Fill(Modality requested, int step, Span<double> u, Span<double> g)
    {
        Assert.Equal(modality, requested);
        uniforms[step].CopyTo(u);
        gumbels[step].CopyTo(g);
    }
}
