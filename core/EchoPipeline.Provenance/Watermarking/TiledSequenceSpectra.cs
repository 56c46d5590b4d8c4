using EchoPipeline.Provenance.Dsp;

namespace EchoPipeline.Provenance.Watermarking;

/// <summary>
/// The spectra of the frame pairs (t, t + 1), t even, of one period of the mark sequence tiled over a signal of
/// <c>length</c> samples (zero outside it), as <see cref="SqrtHannFrames.Analyze(ReadOnlySpan{double}, int, Spectrum, Spectrum)"/>
/// would give them for the tiled array. The sequence repeats every <see cref="WatermarkScheme.Period"/> samples, which
/// is <see cref="PairsPerPeriod"/> pairs, so every pair wholly inside the signal equals one of the first
/// <see cref="PairsPerPeriod"/> such pairs: those are transformed once, and only the pairs at the two ends are
/// transformed each time. Same inputs to the same transform, so the same bits as tiling. Read-only after construction.
/// </summary>
internal sealed class TiledSequenceSpectra
{
    /// <summary>Samples that frames t and t + 1 cover together.</summary>
    private const int PairSpan = SqrtHannFrames.Size + SqrtHannFrames.Hop;

    private const int PairsPerPeriod = WatermarkScheme.Period / (2 * SqrtHannFrames.Hop);

    private readonly double[] _period;
    private readonly int _length;
    private readonly (Spectrum First, Spectrum Second)?[] _interior = new (Spectrum, Spectrum)?[PairsPerPeriod];

    public TiledSequenceSpectra(double[] period, int length)
    {
        if (period.Length != WatermarkScheme.Period)
        {
            throw new ArgumentException($"A period holds {WatermarkScheme.Period} samples, not {period.Length}.", nameof(period));
        }

        (_period, _length) = (period, length);
        var transform = new SqrtHannFrames();
        var segment = new double[PairSpan];
        for (var frame = 0; frame < SqrtHannFrames.FrameCount(length); frame += 2)
        {
            var slot = (frame / 2) % PairsPerPeriod;
            if (IsInterior(frame) && _interior[slot] is null)
            {
                var pair = (new Spectrum(), new Spectrum());
                Transform(frame, transform, segment, pair.Item1, pair.Item2);
                _interior[slot] = pair;
            }
        }
    }

    /// <summary>
    /// Writes the spectra of frames <paramref name="frame"/> (even) and frame + 1 into <paramref name="first"/> and
    /// <paramref name="second"/>; <paramref name="transform"/> and <paramref name="segment"/> (<see cref="PairSpan"/>
    /// samples) are the caller's scratch, so threads can share this instance.
    /// </summary>
    public void CopyTo(int frame, Spectrum first, Spectrum second, SqrtHannFrames transform, double[] segment)
    {
        if (IsInterior(frame) && _interior[(frame / 2) % PairsPerPeriod] is var (cachedFirst, cachedSecond))
        {
            cachedFirst.CopyTo(first);
            cachedSecond.CopyTo(second);
        }
        else
        {
            Transform(frame, transform, segment, first, second);
        }
    }

    /// <summary>Scratch for <see cref="CopyTo"/>.</summary>
    public static double[] NewSegment() => new double[PairSpan];

    private bool IsInterior(int frame) => SqrtHannFrames.FrameStart(frame) >= 0 && SqrtHannFrames.FrameStart(frame) + PairSpan <= _length;

    private void Transform(int frame, SqrtHannFrames transform, double[] segment, Spectrum first, Spectrum second)
    {
        var start = SqrtHannFrames.FrameStart(frame);
        for (var m = 0; m < PairSpan; m++)
        {
            var n = start + m;
            segment[m] = (uint)n < (uint)_length ? _period[n % WatermarkScheme.Period] : 0;
        }

        // Frames 1 and 2 of the segment start at its samples 0 and Hop: frames `frame` and frame + 1 of the tiled signal.
        transform.Analyze(segment, 1, first, second);
    }
}
