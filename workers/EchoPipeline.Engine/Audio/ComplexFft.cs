namespace EchoPipeline.Engine.Audio;

/// <summary>
/// In-place iterative radix-2 complex FFT over split real/imaginary spans. Twiddles and the bit-reversal
/// permutation are computed once, so a transform allocates nothing; an instance is immutable and thread-safe.
/// </summary>
public sealed class ComplexFft
{
    private readonly int[] _bitReversed;
    private readonly double[] _cos;
    private readonly double[] _sin;

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

        _cos = new double[Math.Max(1, length / 2)];
        _sin = new double[_cos.Length];
        for (var k = 0; k < length / 2; k++)
        {
            var angle = -2.0 * Math.PI * k / length;
            (_sin[k], _cos[k]) = Math.SinCos(angle);
        }
    }

    public int Length { get; }

    /// <summary>X[k] = sum_n x[n] e^(-2 pi i k n / N); no scaling.</summary>
    public void Forward(Span<double> real, Span<double> imaginary) => Transform(real, imaginary, 1.0);

    /// <summary>x[n] = sum_k X[k] e^(+2 pi i k n / N); unscaled, so Inverse(Forward(x)) = N x.</summary>
    public void Inverse(Span<double> real, Span<double> imaginary) => Transform(real, imaginary, -1.0);

    private void Transform(Span<double> re, Span<double> im, double sinSign)
    {
        if (re.Length != Length || im.Length != Length)
        {
            throw new ArgumentException($"Expected spans of length {Length}, got {re.Length} and {im.Length}.");
        }

        for (var i = 0; i < Length; i++)
        {
            var j = _bitReversed[i];
            if (j > i)
            {
                (re[i], re[j]) = (re[j], re[i]);
                (im[i], im[j]) = (im[j], im[i]);
            }
        }

        for (var half = 1; half < Length; half <<= 1)
        {
            var stride = Length / (2 * half);
            for (var start = 0; start < Length; start += 2 * half)
            {
                for (var k = 0; k < half; k++)
                {
                    var wr = _cos[k * stride];
                    var wi = sinSign * _sin[k * stride];
                    var a = start + k;
                    var b = a + half;
                    var tr = (re[b] * wr) - (im[b] * wi);
                    var ti = (re[b] * wi) + (im[b] * wr);
                    re[b] = re[a] - tr;
                    im[b] = im[a] - ti;
                    re[a] += tr;
                    im[a] += ti;
                }
            }
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
