namespace EchoPipeline.Engine.Randomness;

/// <summary>
/// Steele, Lea and Flood's SplitMix64: a tiny generator whose sequence for a seed is fixed by its arithmetic, unlike
/// System.Random, whose seeded sequence .NET does not promise to keep across versions.
/// </summary>
internal struct SplitMix64(ulong seed)
{
    private ulong _state = seed;

    public ulong Next()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform on [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));
}
