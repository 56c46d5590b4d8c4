namespace EchoPipeline.Provenance.Dsp;

/// <summary>
/// Short-time Fourier frames of <see cref="Size"/> samples every <see cref="Hop"/> = Size/2, windowed by sin(pi m / N)
/// (the square root of a periodic Hann window) for analysis and again for synthesis. The squared windows of
/// neighbouring frames sum to one, so synthesis of an unchanged analysis returns the input exactly; a gain applied to
/// a frame's spectrum therefore acts as a smoothly varying filter. Frame t covers samples [t*Hop - Hop, t*Hop + Hop),
/// zero outside the signal, so every sample lies under two frames.
/// Two real frames share one complex FFT (one as the real part, one as the imaginary part).
/// </summary>
internal sealed class SqrtHannFrames
{
    public const int Size = 1024;
    public const int Hop = Size / 2;
    public const int Bins = (Size / 2) + 1;

    private static readonly double[] Window = BuildWindow();

    private readonly ComplexFft _fft = new(Size);
    private readonly double[] _re = new double[Size];
    private readonly double[] _im = new double[Size];

    /// <summary>Frames needed to cover <paramref name="samples"/> samples (each covered twice).</summary>
    public static int FrameCount(int samples) => samples <= 0 ? 0 : ((samples - 1) / Hop) + 2;

    public static int FrameStart(int frame) => (frame * Hop) - Hop;

    /// <summary>Spectra (bins 0..Size/2) of frames <paramref name="frame"/> and frame + 1 of <paramref name="x"/>.</summary>
    public void Analyze(ReadOnlySpan<float> x, int frame, Spectrum first, Spectrum second)
    {
        Fill(x, FrameStart(frame), _re);
        Fill(x, FrameStart(frame + 1), _im);
        Split(first, second);
    }

    /// <inheritdoc cref="Analyze(ReadOnlySpan{float}, int, Spectrum, Spectrum)"/>
    public void Analyze(ReadOnlySpan<double> x, int frame, Spectrum first, Spectrum second)
    {
        Fill(x, FrameStart(frame), _re);
        Fill(x, FrameStart(frame + 1), _im);
        Split(first, second);
    }

    /// <summary>Inverse transforms both spectra, windows them and adds frames <paramref name="frame"/> and frame + 1 into <paramref name="y"/>.</summary>
    public void SynthesizeAdd(Spectrum first, Spectrum second, int frame, Span<double> y)
    {
        for (var k = 0; k < Bins; k++)
        {
            // Z = A + iB on the upper half too (conjugate-symmetric A and B), so the inverse is a + ib with a, b real.
            var (ar, ai, br, bi) = (first.Re[k], first.Im[k], second.Re[k], second.Im[k]);
            if (k == 0 || k == Size / 2)
            {
                (ai, bi) = (0, 0);
            }

            _re[k] = ar - bi;
            _im[k] = ai + br;
            if (k > 0 && k < Size / 2)
            {
                _re[Size - k] = ar + bi;
                _im[Size - k] = br - ai;
            }
        }

        _fft.InverseNormalized(_re, _im);
        AddWindowed(_re, FrameStart(frame), y);
        AddWindowed(_im, FrameStart(frame + 1), y);
    }

    private void Split(Spectrum first, Spectrum second)
    {
        _fft.Forward(_re, _im);
        for (var k = 0; k < Bins; k++)
        {
            var mirror = (Size - k) & (Size - 1);
            var (zr, zi, mr, mi) = (_re[k], _im[k], _re[mirror], _im[mirror]);
            first.Re[k] = 0.5 * (zr + mr);
            first.Im[k] = 0.5 * (zi - mi);
            second.Re[k] = 0.5 * (zi + mi);
            second.Im[k] = 0.5 * (mr - zr);
        }
    }

    private static void Fill(ReadOnlySpan<float> x, int start, double[] frame)
    {
        for (var m = 0; m < Size; m++)
        {
            var n = start + m;
            frame[m] = (uint)n < (uint)x.Length ? x[n] * Window[m] : 0;
        }
    }

    private static void Fill(ReadOnlySpan<double> x, int start, double[] frame)
    {
        for (var m = 0; m < Size; m++)
        {
            var n = start + m;
            frame[m] = (uint)n < (uint)x.Length ? x[n] * Window[m] : 0;
        }
    }

    private static void AddWindowed(double[] frame, int start, Span<double> y)
    {
        for (var m = 0; m < Size; m++)
        {
            var n = start + m;
            if ((uint)n < (uint)y.Length)
            {
                y[n] += frame[m] * Window[m];
            }
        }
    }

    private static double[] BuildWindow()
    {
        var window = new double[Size];
        for (var m = 0; m < Size; m++)
        {
            window[m] = Math.Sin(Math.PI * m / Size);
        }

        return window;
    }
}

/// <summary>Bins 0..N/2 of one frame's spectrum.</summary>
internal sealed class Spectrum
{
    public double[] Re { get; } = new double[SqrtHannFrames.Bins];

    public double[] Im { get; } = new double[SqrtHannFrames.Bins];

    public void CopyTo(Spectrum destination)
    {
        Re.CopyTo(destination.Re, 0);
        Im.CopyTo(destination.Im, 0);
    }

    public void Clear()
    {
        Array.Clear(Re);
        Array.Clear(Im);
    }
}
