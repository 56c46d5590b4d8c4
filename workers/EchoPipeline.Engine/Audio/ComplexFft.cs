using System.Numerics;

namespace EchoPipeline.Engine.Audio;

/// <summary>
/// In-place iterative radix-2 complex FFT over split real/imaginary spans. Twiddles and the bit-reversal
/// permutation are computed once, so a transform allocates nothing; an instance is immutable and thread-safe.
/// </summary>
public sealed class ComplexFft
{
    private readonly int[] _bitReversed;

    // Twiddles stage by stage: the stage combining blocks of `half` uses entries [half, 2 * half), read in order.
    private readonly double[] _twiddleRe;
    private readonly double[] _twiddleIm;
    private readonly double[] _conjugateTwiddleIm;

    public ComplexFft(int length)
    {
        if (length < 1 || (length & (length - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, "The FFT length must be a power of two.");
        }

        Length = length;
        _bitReversed = new int[length];
        var bits = int.Log2(length);
        for (var i = 0; i < length; i++)
        {
            _bitReversed[i] = bits == 0 ? 0 : (int)(ReverseBits((uint)i) >> (32 - bits));
        }

        _twiddleRe = new double[length];
        _twiddleIm = new double[length];
        for (var half = 1; half < length; half <<= 1)
        {
            for (var k = 0; k < half; k++)
            {
                (_twiddleIm[half + k], _twiddleRe[half + k]) = Math.SinCos(-Math.PI * k / half);
            }
        }

        _conjugateTwiddleIm = Array.ConvertAll(_twiddleIm, w => -w);
    }

    public int Length { get; }

    /// <summary>X[k] = sum_n x[n] e^(-2 pi i k n / N); no scaling.</summary>
    public void Forward(Span<double> real, Span<double> imaginary) => Transform(real, imaginary, _twiddleIm);

    /// <summary>x[n] = sum_k X[k] e^(+2 pi i k n / N); unscaled, so Inverse(Forward(x)) = N x.</summary>
    public void Inverse(Span<double> real, Span<double> imaginary) => Transform(real, imaginary, _conjugateTwiddleIm);

    private unsafe void Transform(Span<double> real, Span<double> imaginary, double[] twiddleIm)
    {
        if (real.Length != Length || imaginary.Length != Length)
        {
            throw new ArgumentException($"Expected spans of length {Length}, got {real.Length} and {imaginary.Length}.");
        }

        // Pointers: the butterflies' indices are beyond the JIT's bounds-check elimination, and they are the hot loop.
        fixed (double* re = real, im = imaginary, wRe = _twiddleRe, wIm = twiddleIm)
        fixed (int* reversed = _bitReversed)
        {
            for (var i = 0; i < Length; i++)
            {
                var j = reversed[i];
                if (j > i)
                {
                    (re[i], re[j]) = (re[j], re[i]);
                    (im[i], im[j]) = (im[j], im[i]);
                }
            }

            for (var a = 0; a + 1 < Length; a += 2)
            {
                double tr = re[a + 1], ti = im[a + 1];
                re[a + 1] = re[a] - tr;
                im[a + 1] = im[a] - ti;
                re[a] += tr;
                im[a] += ti;
            }

            for (var half = 2; half < Length; half <<= 1)
            {
                for (var start = 0; start < Length; start += 2 * half)
                {
                    Butterflies(re + start, im + start, wRe + half, wIm + half, half);
                }
            }
        }
    }

    /// <summary>b' = a - w b, a' = a + w b for k in 0..half-1, with a at [0, half) and b at [half, 2 half).</summary>
    private static unsafe void Butterflies(double* re, double* im, double* wRe, double* wIm, int half)
    {
        double* bRe = re + half, bIm = im + half;
        var k = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; k + Vector<double>.Count <= half; k += Vector<double>.Count)
            {
                var wr = Vector.Load(wRe + k);
                var wi = Vector.Load(wIm + k);
                var br = Vector.Load(bRe + k);
                var bi = Vector.Load(bIm + k);
                var ar = Vector.Load(re + k);
                var ai = Vector.Load(im + k);
                var tr = (br * wr) - (bi * wi);
                var ti = (br * wi) + (bi * wr);
                (ar - tr).Store(bRe + k);
                (ai - ti).Store(bIm + k);
                (ar + tr).Store(re + k);
                (ai + ti).Store(im + k);
            }
        }

        for (; k < half; k++)
        {
            var tr = (bRe[k] * wRe[k]) - (bIm[k] * wIm[k]);
            var ti = (bRe[k] * wIm[k]) + (bIm[k] * wRe[k]);
            bRe[k] = re[k] - tr;
            bIm[k] = im[k] - ti;
            re[k] += tr;
            im[k] += ti;
        }
    }

    private static uint ReverseBits(uint value)
    {
        value = ((value >> 1) & 0x55555555u) | ((value & 0x55555555u) << 1);
        value = ((value >> 2) & 0x33333333u) | ((value & 0x33333333u) << 2);
        value = ((value >> 4) & 0x0F0F0F0Fu) | ((value & 0x0F0F0F0Fu) << 4);
        value = ((value >> 8) & 0x00FF00FFu) | ((value & 0x00FF00FFu) << 8);
        return (value >> 16) | (value << 16);
    }
}
