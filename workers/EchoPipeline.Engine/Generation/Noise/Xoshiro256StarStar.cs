using EchoPipeline.Engine.Randomness;

namespace EchoPipeline.Engine.Generation.Noise;

/// <summary>
/// xoshiro256** (Blackman and Vigna), seeded through SplitMix64. Our own generator rather than System.Random,
/// whose seeded sequence is an implementation detail, so a seed names the same audio on every runtime.
/// </summary>
public sealed class Xoshiro256StarStar
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    public Xoshiro256StarStar(ulong seed)
    {
        var seeder = new SplitMix64(seed);
        (_s0, _s1, _s2, _s3) = (seeder.Next(), seeder.Next(), seeder.Next(), seeder.Next());
    }

    public ulong NextUInt64()
    {
        var result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A uniform double in the open interval (0, 1): the midpoint of a 2^-53 cell, never 0 or 1.</summary>
    public double NextOpenDouble() => ((NextUInt64() >> 11) + 0.5) * (1.0 / (1UL << 53));
}
