using System.Numerics;
using System.Runtime.CompilerServices;

namespace EchoPipeline.Provenance.Dsp;

/// <summary>
/// In-place iterative radix-2 complex FFT over split real/imaginary spans. Twiddles and the bit-reversal
/// permutation are computed once, so a transform allocates nothing; an instance is immutable and thread-safe.
/// The one FFT of the code base: the watermark (embedding, detection) and the engine's real FFT (Griffin-Lim, STFT) use it.
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

    /// <summary>x[n] = (1/N) sum_k X[k] e^(+2 pi i k n / N): the true inverse, Forward then this restores x.</summary>
    public void InverseNormalized(Span<double> real, Span<double> imaginary)
    {
        Inverse(real, imaginary);
        var scale = 1.0 / Length;
        for (var i = 0; i < Length; i++)
        {
            real[i] *= scale;
            imaginary[i] *= scale;
        }
    }

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

            if (Length >= 4)
            {
                FirstTwoStages(re, im, wRe, wIm, Length);
            }
            else if (Length == 2)
            {
                double tr = re[1], ti = im[1];
                re[1] = re[0] - tr;
                im[1] = im[0] - ti;
                re[0] += tr;
                im[0] += ti;
            }

            for (var half = 4; half < Length; half <<= 1)
            {
                for (var start = 0; start < Length; start += 2 * half)
                {
                    Butterflies(re + start, im + start, wRe + half, wIm + half, half);
                }
            }
        }
    }

    /// <summary>
    /// The stages with half = 1 and half = 2 in one pass over groups of four (too short to vectorise, and one pass
    /// instead of two): the same operations on the same values as two separate stages, so the same bits.
    /// </summary>
    private static unsafe void FirstTwoStages(double* re, double* im, double* wRe, double* wIm, int length)
    {
        double w0r = wRe[2], w0i = wIm[2], w1r = wRe[3], w1i = wIm[3];
        for (var a = 0; a < length; a += 4)
        {
            double r0 = re[a], i0 = im[a], r1 = re[a + 1], i1 = im[a + 1];
            double r2 = re[a + 2], i2 = im[a + 2], r3 = re[a + 3], i3 = im[a + 3];
            double s0r = r0 + r1, s0i = i0 + i1, s1r = r0 - r1, s1i = i0 - i1;
            double s2r = r2 + r3, s2i = i2 + i3, s3r = r2 - r3, s3i = i2 - i3;
            var t0r = (s2r * w0r) - (s2i * w0i);
            var t0i = (s2r * w0i) + (s2i * w0r);
            var t1r = (s3r * w1r) - (s3i * w1i);
            var t1i = (s3r * w1i) + (s3i * w1r);
            re[a] = s0r + t0r;
            im[a] = s0i + t0i;
            re[a + 2] = s0r - t0r;
            im[a + 2] = s0i - t0i;
            re[a + 1] = s1r + t1r;
            im[a + 1] = s1i + t1i;
            re[a + 3] = s1r - t1r;
            im[a + 3] = s1i - t1i;
        }
    }

    /// <summary>b' = a - w b, a' = a + w b for k in 0..half-1, with a at [0, half) and b at [half, 2 half).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
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
