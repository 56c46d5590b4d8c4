using EchoPipeline.Engine.Generation;
using EchoPipeline.Engine.Generation.Noise;

namespace EchoPipeline.Engine.Tests.Generation.Noise;

public sealed class SeededUnmaskNoiseTests
{
    [Fact]
    public void Xoshiro_matches_an_independent_implementation()
    {
        // First three outputs for seed 42 (SplitMix64 seeding), from a separate Python implementation of the published algorithm.
        var random = new Xoshiro256StarStar(42);

        Assert.Equal(0x15780b2e0c2ec716UL, random.NextUInt64());
        Assert.Equal(0x6104d9866d113a7eUL, random.NextUInt64());
        Assert.Equal(0.6800434110281394, random.NextDouble());
    }

    [Fact]
    public void The_same_seed_gives_the_same_noise_and_another_seed_different_noise()
    {
        var (u1, g1) = Draw(new SeededUnmaskNoise(7), Modality.Audio);
        var (u2, g2) = Draw(new SeededUnmaskNoise(7), Modality.Audio);
        var (u3, _) = Draw(new SeededUnmaskNoise(8), Modality.Audio);

        Assert.Equal(u1, u2);
        Assert.Equal(g1, g2);
        Assert.NotEqual(u1, u3);
    }

    [Fact]
    public void Audio_noise_does_not_depend_on_image_draws()
    {
        var alone = new SeededUnmaskNoise(3);
        var interleaved = new SeededUnmaskNoise(3);
        Draw(interleaved, Modality.Image);

        Assert.Equal(Draw(alone, Modality.Audio).Uniforms, Draw(interleaved, Modality.Audio).Uniforms);
    }

    [Fact]
    public void Uniforms_lie_in_the_unit_interval_and_gumbels_are_finite_with_the_gumbel_mean()
    {
        var noise = new SeededUnmaskNoise(11);
        var uniforms = new double[20000];
        var gumbels = new double[20000];

        noise.Fill(Modality.Image, 0, uniforms, gumbels);

        Assert.All(uniforms, u => Assert.InRange(u, 0.0, Math.BitDecrement(1.0)));
        Assert.All(gumbels, g => Assert.True(double.IsFinite(g)));
        Assert.Equal(0.5, uniforms.Average(), 0.02);
        Assert.Equal(0.5772156649, gumbels.Average(), 0.05); // Euler-Mascheroni constant
    }

    private static (double[] Uniforms, double[] Gumbels) Draw(SeededUnmaskNoise noise, Modality modality)
    {
        var (u, g) = (new double[16], new double[16]);
        noise.Fill(modality, 0, u, g);
        return (u, g);
    }
}
