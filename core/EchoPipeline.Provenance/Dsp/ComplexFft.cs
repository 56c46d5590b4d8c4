namespace EchoPipeline.Provenance.Dsp;

/// <summary>
/// In-place iterative radix-2 FFT over separate real and imaginary arrays (double precision). Twiddles are computed
/// once per size with Math.Cos/Math.Sin per index (no recurrence), so results are reproducible run to run. An instance
/// holds only its tables, so one instance may serve many threads at once.
/// </summary>
internal sealed class ComplexFft
{
    private readonly int[] _bitReverse;
    private readonly double[] _cos;
    private readonly double[] _sin;

    public ComplexFft(int size)
    {
        if (size < 1 || (size & (size - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "The FFT size must be a power of two.");
        }

        Size = size;
        _bitReverse = new int[size];
        var bits = System.Numerics.BitOperations.Log2((uint)size);
        for (var i = 0; i < size; i++)
        {
            _bitReverse[i] = bits == 0 ? 0 : (int)(ReverseBits((uint)i) >> (32 - bits));
        }

        _cos = new double[Math.Max(1, size / 2)];
        _sin = new double[Math.Max(1, size / 2)];
        for (var k = 0; k < size / 2; k++)
        {
            var angle = 2 * Math.PI * k / size;
            (_cos[k], _sin[k]) = (Math.Cos(angle), Math.Sin(angle));
        }
    }

    public int Size { get; }

    /// <summary>X[k] = sum_n x[n] e^{-2 pi i k n / N}.</summary>
    public void Forward(Span<double> re, Span<double> im) => Transform(re, im, inverse: false);

    /// <summary>x[n] = (1/N) sum_k X[k] e^{+2 pi i k n / N}.</summary>
    public void Inverse(Span<double> re, Span<double> im)
    {
        Transform(re, im, inverse: true);
        var scale = 1.0 / Size;
        for (var i = 0; i < Size; i++)
        {
            re[i] *= scale;
            im[i] *= scale;
        }
    }

    private void Transform(Span<double> re, Span<double> im, bool inverse)
    {
        if (re.Length != Size || im.Length != Size)
        {
            throw new ArgumentException($"Both arrays must hold {Size} values, got {re.Length} and {im.Length}.");
        }

        for (var i = 0; i < Size; i++)
        {
            var j = _bitReverse[i];
            if (j > i)
            {
                (re[i], re[j]) = (re[j], re[i]);
                (im[i], im[j]) = (im[j], im[i]);
            }
        }

        var sign = inverse ? 1.0 : -1.0;
        for (var length = 2; length <= Size; length <<= 1)
        {
            var half = length >> 1;
            var stride = Size / length;
            for (var start = 0; start < Size; start += length)
            {
                for (var j = 0; j < half; j++)
                {
                    var wr = _cos[j * stride];
                    var wi = sign * _sin[j * stride];
                    var a = start + j;
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

    private static uint ReverseBits(uint v)
    {
        v = ((v >> 1) & 0x55555555u) | ((v & 0x55555555u) << 1);
        v = ((v >> 2) & 0x33333333u) | ((v & 0x33333333u) << 2);
        v = ((v >> 4) & 0x0F0F0F0Fu) | ((v & 0x0F0F0F0Fu) << 4);
        v = ((v >> 8) & 0x00FF00FFu) | ((v & 0x00FF00FFu) << 8);
        return (v >> 16) | (v << 16);
    }
}
