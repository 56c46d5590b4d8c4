using EchoPipeline.Provenance.Dsp;

namespace EchoPipeline.Engine.Audio;

/// <summary>
/// FFT of a real signal of even power-of-two length N through one complex FFT of length N/2 (even samples as the
/// real part, odd samples as the imaginary part), then the split into the N/2+1 non-negative frequency bins.
/// Allocation-free per call; immutable and thread-safe.
/// </summary>
public sealed class RealFft
{
    private readonly ComplexFft _half;
    private readonly double[] _cos;
    private readonly double[] _sin;

    public RealFft(int length)
    {
        if (length < 2 || (length & (length - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, "The real FFT length must be a power of two of at least 2.");
        }

        Length = length;
        _half = new ComplexFft(length / 2);
        _cos = new double[(length / 4) + 1];
        _sin = new double[_cos.Length];
        for (var k = 0; k < _cos.Length; k++)
        {
            (_sin[k], _cos[k]) = Math.SinCos(2.0 * Math.PI * k / length);
        }
    }

    public int Length { get; }

    public int Bins => (Length / 2) + 1;

    /// <summary>X[k] = sum_n x[n] e^(-2 pi i k n / N) for k = 0..N/2, unscaled.</summary>
    public void Forward(ReadOnlySpan<double> signal, Span<double> real, Span<double> imaginary)
    {
        CheckLengths(signal.Length, real, imaginary);
        var m = Length / 2;
        for (var n = 0; n < m; n++)
        {
            real[n] = signal[2 * n];
            imaginary[n] = signal[(2 * n) + 1];
        }

        ForwardSplit(real, imaginary);
    }

    /// <summary>
    /// <see cref="Forward"/> of a signal already split: on entry real[n] = x[2n] and imaginary[n] = x[2n + 1] for
    /// n &lt; N/2 (so a caller can window straight into the spectrum spans); on return the N/2+1 bins.
    /// </summary>
    internal void ForwardSplit(Span<double> real, Span<double> imaginary)
    {
        var m = Length / 2;
        _half.Forward(real[..m], imaginary[..m]);

        var z0r = real[0];
        var z0i = imaginary[0];
        real[0] = z0r + z0i;
        imaginary[0] = 0;
        real[m] = z0r - z0i;
        imaginary[m] = 0;
        for (var k = 1; k <= m / 2; k++)
        {
            var j = m - k;
            double zkr = real[k], zki = imaginary[k], zjr = real[j], zji = imaginary[j];
            // E and O are the spectra of the even and odd samples; X[k] = E + W^k O, X[m-k] = conj(E - W^k O).
            double er = 0.5 * (zkr + zjr), ei = 0.5 * (zki - zji);
            double odr = 0.5 * (zki + zji), odi = -0.5 * (zkr - zjr);
            double c = _cos[k], s = -_sin[k];
            var wor = (c * odr) - (s * odi);
            var woi = (c * odi) + (s * odr);
            real[k] = er + wor;
            imaginary[k] = ei + woi;
            real[j] = er - wor;
            imaginary[j] = woi - ei;
        }
    }

    /// <summary>
    /// Real inverse x[n] = (1/N) sum over the Hermitian spectrum. The imaginary parts of bins 0 and N/2 are ignored.
    /// The spectrum spans are used as scratch and hold garbage afterwards.
    /// </summary>
    public void Inverse(Span<double> real, Span<double> imaginary, Span<double> signal)
    {
        CheckLengths(signal.Length, real, imaginary);
        InverseSplit(real, imaginary);
        var m = Length / 2;
        var scale = 1.0 / m;
        for (var n = 0; n < m; n++)
        {
            signal[2 * n] = real[n] * scale;
            signal[(2 * n) + 1] = imaginary[n] * scale;
        }
    }

    /// <summary>
    /// <see cref="Inverse"/> without the last step: on return real[n] and imaginary[n] hold N/2 · x[2n] and
    /// N/2 · x[2n + 1] for n &lt; N/2 (multiply by 1 / (N/2) to get x).
    /// </summary>
    internal void InverseSplit(Span<double> real, Span<double> imaginary)
    {
        var m = Length / 2;
        imaginary[0] = 0;
        imaginary[m] = 0;
        for (var k = 0; k <= m / 2; k++)
        {
            var j = m - k;
            double xkr = real[k], xki = imaginary[k], xjr = real[j], xji = imaginary[j];
            double er = 0.5 * (xkr + xjr), ei = 0.5 * (xki - xji);
            double dr = 0.5 * (xkr - xjr), di = 0.5 * (xki + xji);
            double c = _cos[k], s = _sin[k];
            var odr = (dr * c) - (di * s);
            var odi = (dr * s) + (di * c);
            real[k] = er - odi;
            imaginary[k] = ei + odr;
            if (j < m)
            {
                real[j] = er + odi;
                imaginary[j] = odr - ei;
            }
        }

        _half.Inverse(real[..m], imaginary[..m]);
    }

    private void CheckLengths(int signalLength, Span<double> real, Span<double> imaginary)
    {
        if (signalLength != Length || real.Length != Bins || imaginary.Length != Bins)
        {
            throw new ArgumentException(
                $"Real FFT of length {Length} needs a signal of {Length} and spectra of {Bins}; got {signalLength}, {real.Length} and {imaginary.Length}.");
        }
    }
}
