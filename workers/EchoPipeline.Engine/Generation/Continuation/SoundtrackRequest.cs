using EchoPipeline.Engine.Randomness;

namespace EchoPipeline.Engine.Generation.Continuation;

/// <summary>
/// One soundtrack to generate: its windows (<see cref="SoundtrackWindow"/>) and the request every window is made from
/// (window i: Image = its frame, Seed = <see cref="WindowSeed"/>(Template.Seed, i)).
/// </summary>
public sealed record SoundtrackRequest(IReadOnlyList<SoundtrackWindow> Windows, EchoRequest Template)
{
    /// <summary>
    /// The seed of window <paramref name="window"/>: the template's own for window 0 (a one-window soundtrack is the
    /// plain generation of its frame), a SplitMix64 mix of (seed, window) after it. Not seed + window: variations
    /// use seed, seed + 1, ..., so window 1 of variation 0 would draw the same noise as window 0 of variation 1.
    /// </summary>
    public static long WindowSeed(long seed, int window)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(window);
        return window == 0 ? seed : (long)new SplitMix64((ulong)seed ^ ((ulong)window << 32)).Next();
    }
}
