using System.Numerics.Tensors;

namespace EchoPipeline.Engine.Audio;

/// <summary>
/// Short-time Fourier transform as torch.stft(center=True, pad_mode='reflect') and librosa.stft compute it: a periodic
/// Hann window of winLength centred in nFft, frame t centred on sample t * hop, the signal reflected (edge sample not
/// repeated) where a frame overhangs it. Spectra are row-major [frame, bin] over split real/imaginary spans.
/// Thread-safe; scratch is allocated once per call, never per frame, and the inverse's window-sum normalisation once
/// per signal shape.
/// </summary>
public sealed class Stft
{
    // Below this window-square envelope an output sample has no frame to speak for it and is left unnormalised.
    private const double MinEnvelope = 1e-10;

    private readonly RealFft _fft;
    private readonly double[] _window;

    // The last shape's divisor; replaced whole, so readers on other threads see an old or a new one, never a mix.
    private WindowSum? _divisor;

    public Stft(int nFft, int hopLength, int winLength)
    {
        _fft = new RealFft(nFft);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hopLength);
        if (winLength < 1 || winLength > nFft)
        {
            throw new ArgumentOutOfRangeException(nameof(winLength), winLength, $"Window length must be in 1..{nFft}.");
        }

        HopLength = hopLength;
        _window = new double[nFft];
        var offset = (nFft - winLength) / 2;
        for (var i = 0; i < winLength; i++)
        {
            _window[offset + i] = 0.5 - (0.5 * Math.Cos(2.0 * Math.PI * i / winLength));
        }
    }

    public int NFft => _fft.Length;

    public int HopLength { get; }

    public int FrequencyBins => _fft.Bins;

    public ReadOnlySpan<double> Window => _window;

    public static Stft Create(MelParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return new Stft(parameters.NFft, parameters.HopLength, parameters.WinLength);
    }

    /// <summary>Frames a centred STFT has for a signal of this length: 1 + length / hop.</summary>
    public int FrameCount(int signalLength) => 1 + (signalLength / HopLength);

    /// <summary>Complex spectra of frames firstFrame .. firstFrame + real.Length / FrequencyBins - 1.</summary>
    public void Forward(ReadOnlySpan<double> signal, int firstFrame, Span<double> real, Span<double> imaginary)
    {
        var frames = CheckFrames(signal.Length, firstFrame, real.Length, imaginary.Length);
        var bins = FrequencyBins;
        for (var t = 0; t < frames; t++)
        {
            ForwardFrame(signal, firstFrame + t, real.Slice(t * bins, bins), imaginary.Slice(t * bins, bins));
        }
    }

    /// <summary>|STFT| of frames firstFrame .. firstFrame + magnitude.Length / FrequencyBins - 1.</summary>
    public void Magnitude(ReadOnlySpan<double> signal, int firstFrame, Span<double> magnitude)
    {
        var frames = CheckFrames(signal.Length, firstFrame, magnitude.Length, magnitude.Length);
        Span<double> re = new double[FrequencyBins], im = new double[FrequencyBins];
        for (var t = 0; t < frames; t++)
        {
            ForwardFrame(signal, firstFrame + t, re, im);
            var row = magnitude.Slice(t * re.Length, re.Length);
            for (var k = 0; k < re.Length; k++)
            {
                row[k] = Math.Sqrt((re[k] * re[k]) + (im[k] * im[k]));
            }
        }
    }

    /// <summary>
    /// Inverse of <see cref="Forward"/> from frame 0: windowed overlap-add divided by the summed squared window
    /// (librosa.istft). The output may be any length; samples no frame reaches are zero.
    /// </summary>
    public void Inverse(ReadOnlySpan<double> real, ReadOnlySpan<double> imaginary, Span<double> signal)
    {
        var bins = FrequencyBins;
        if (real.Length != imaginary.Length || real.Length % bins != 0)
        {
            throw new ArgumentException($"Spectra must be whole frames of {bins} bins; got {real.Length} and {imaginary.Length} values.");
        }

        var frames = real.Length / bins;
        var windowed = new double[frames * NFft];
        Span<double> re = new double[bins], im = new double[bins];
        for (var t = 0; t < frames; t++)
        {
            real.Slice(t * bins, bins).CopyTo(re);
            imaginary.Slice(t * bins, bins).CopyTo(im);
            InverseFrame(re, im, windowed.AsSpan(t * NFft, NFft));
        }

        OverlapAdd(windowed, signal, 0, signal.Length, Divisor(frames, signal.Length));
    }

    /// <summary>
    /// Spectrum of one frame, windowed straight into the real FFT's split input (no frame buffer); real and imaginary
    /// are one frame's FrequencyBins. Frames only read the signal, so any number of them may run at once.
    /// </summary>
    internal void ForwardFrame(ReadOnlySpan<double> signal, int frameIndex, Span<double> real, Span<double> imaginary)
    {
        var start = (frameIndex * HopLength) - (NFft / 2);
        var w = _window;
        if (start >= 0 && start + NFft <= signal.Length)
        {
            var frame = signal.Slice(start, NFft);
            for (var n = 0; n < NFft / 2; n++)
            {
                real[n] = frame[2 * n] * w[2 * n];
                imaginary[n] = frame[(2 * n) + 1] * w[(2 * n) + 1];
            }
        }
        else
        {
            var last = signal.Length - 1;
            for (var i = 0; i < NFft; i++)
            {
                var n = start + i;
                n = n < 0 ? -n : n > last ? (2 * last) - n : n;
                var x = signal[n] * w[i];
                if ((i & 1) == 0)
                {
                    real[i / 2] = x;
                }
                else
                {
                    imaginary[i / 2] = x;
                }
            }
        }

        _fft.ForwardSplit(real, imaginary);
    }

    /// <summary>One frame's inverse FFT times the window, into windowed (NFft samples); the spectrum spans are scratch.</summary>
    internal void InverseFrame(Span<double> real, Span<double> imaginary, Span<double> windowed)
    {
        _fft.InverseSplit(real, imaginary);
        var scale = 1.0 / (NFft / 2);
        var w = _window;
        for (var n = 0; n < NFft / 2; n++)
        {
            windowed[2 * n] = real[n] * scale * w[2 * n];
            windowed[(2 * n) + 1] = imaginary[n] * scale * w[(2 * n) + 1];
        }
    }

    /// <summary>
    /// Samples [from, to) of the overlap-add of windowed frames (row-major [frame, NFft], frame t centred on t * hop),
    /// divided by <paramref name="divisor"/> (<see cref="Divisor"/>). Each sample sums its frames in frame order, as
    /// one pass over all frames would, so splitting the signal into ranges run at once changes no bit.
    /// </summary>
    internal void OverlapAdd(ReadOnlySpan<double> windowed, Span<double> signal, int from, int to, ReadOnlySpan<double> divisor)
    {
        var output = signal[from..to];
        output.Clear();
        var frames = windowed.Length / NFft;
        var half = NFft / 2;
        // Frame t covers [t * hop - half, t * hop + half): the first that ends after `from`, the last that starts before `to`.
        var first = Math.Max(0, (from + half - NFft + HopLength) / HopLength);
        var last = Math.Min(frames - 1, (to - 1 + half) / HopLength);
        for (var t = first; t <= last; t++)
        {
            var start = (t * HopLength) - half;
            int lo = Math.Max(start, from), hi = Math.Min(start + NFft, to);
            if (lo < hi)
            {
                var frame = windowed.Slice((t * NFft) + lo - start, hi - lo);
                TensorPrimitives.Add(signal[lo..hi], frame, signal[lo..hi]);
            }
        }

        TensorPrimitives.Divide(output, divisor[from..to], output);
    }

    /// <summary>
    /// What <see cref="OverlapAdd"/> divides by for frames 0..frames-1 over a signal of this length: the summed squared
    /// window, or 1 where it is below <see cref="MinEnvelope"/> (left unnormalised). Computed once per shape and kept;
    /// callers must not write to it.
    /// </summary>
    internal double[] Divisor(int frames, int signalLength)
    {
        var cached = _divisor;
        if (cached is not null && cached.Frames == frames && cached.Values.Length == signalLength)
        {
            return cached.Values;
        }

        var envelope = new double[signalLength];
        for (var t = 0; t < frames; t++)
        {
            var start = (t * HopLength) - (NFft / 2);
            var from = Math.Max(0, -start);
            var to = Math.Min(NFft, signalLength - start);
            for (var i = from; i < to; i++)
            {
                envelope[start + i] += _window[i] * _window[i];
            }
        }

        for (var n = 0; n < envelope.Length; n++)
        {
            envelope[n] = envelope[n] > MinEnvelope ? envelope[n] : 1.0;
        }

        _divisor = new WindowSum(frames, envelope);
        return envelope;
    }

    private sealed record WindowSum(int Frames, double[] Values);

    private int CheckFrames(int signalLength, int firstFrame, int realLength, int imaginaryLength)
    {
        var bins = FrequencyBins;
        if (signalLength <= NFft / 2)
        {
            throw new ArgumentException($"Reflect padding by {NFft / 2} needs a signal longer than that; got {signalLength} samples.");
        }

        if (realLength != imaginaryLength || realLength % bins != 0)
        {
            throw new ArgumentException($"Output must be whole frames of {bins} bins; got {realLength} and {imaginaryLength} values.");
        }

        var frames = realLength / bins;
        if (firstFrame < 0 || firstFrame + frames > FrameCount(signalLength))
        {
            throw new ArgumentOutOfRangeException(
                nameof(firstFrame), $"Frames {firstFrame}..{firstFrame + frames - 1} exceed the {FrameCount(signalLength)} frames of {signalLength} samples.");
        }

        return frames;
    }
}
