namespace EchoPipeline.Engine.Audio;

/// <summary>
/// Short-time Fourier transform as torch.stft(center=True, pad_mode='reflect') and librosa.stft compute it: a periodic
/// Hann window of winLength centred in nFft, frame t centred on sample t * hop, the signal reflected (edge sample not
/// repeated) where a frame overhangs it. Spectra are row-major [frame, bin] over split real/imaginary spans.
/// Immutable and thread-safe; scratch is allocated once per call, never per frame.
/// </summary>
public sealed class Stft
{
    // Below this window-square envelope an output sample has no frame to speak for it and is left unnormalised.
    private const double MinEnvelope = 1e-10;

    private readonly RealFft _fft;
    private readonly double[] _window;

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
        var frame = new double[NFft];
        var bins = FrequencyBins;
        for (var t = 0; t < frames; t++)
        {
            WindowedFrame(signal, firstFrame + t, frame);
            _fft.Forward(frame, real.Slice(t * bins, bins), imaginary.Slice(t * bins, bins));
        }
    }

    /// <summary>|STFT| of frames firstFrame .. firstFrame + magnitude.Length / FrequencyBins - 1.</summary>
    public void Magnitude(ReadOnlySpan<double> signal, int firstFrame, Span<double> magnitude)
    {
        var frames = CheckFrames(signal.Length, firstFrame, magnitude.Length, magnitude.Length);
        var frame = new double[NFft];
        var re = new double[FrequencyBins];
        var im = new double[FrequencyBins];
        for (var t = 0; t < frames; t++)
        {
            WindowedFrame(signal, firstFrame + t, frame);
            _fft.Forward(frame, re, im);
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

        var frame = new double[NFft];
        var re = new double[bins];
        var im = new double[bins];
        var envelope = new double[signal.Length];
        signal.Clear();
        for (var t = 0; t < real.Length / bins; t++)
        {
            real.Slice(t * bins, bins).CopyTo(re);
            imaginary.Slice(t * bins, bins).CopyTo(im);
            _fft.Inverse(re, im, frame);
            var start = (t * HopLength) - (NFft / 2);
            var from = Math.Max(0, -start);
            var to = Math.Min(NFft, signal.Length - start);
            for (var i = from; i < to; i++)
            {
                signal[start + i] += frame[i] * _window[i];
                envelope[start + i] += _window[i] * _window[i];
            }
        }

        for (var n = 0; n < signal.Length; n++)
        {
            if (envelope[n] > MinEnvelope)
            {
                signal[n] /= envelope[n];
            }
        }
    }

    private void WindowedFrame(ReadOnlySpan<double> signal, int frameIndex, Span<double> frame)
    {
        var start = (frameIndex * HopLength) - (NFft / 2);
        if (start >= 0 && start + NFft <= signal.Length)
        {
            for (var i = 0; i < NFft; i++)
            {
                frame[i] = signal[start + i] * _window[i];
            }

            return;
        }

        var last = signal.Length - 1;
        for (var i = 0; i < NFft; i++)
        {
            var n = start + i;
            n = n < 0 ? -n : n > last ? (2 * last) - n : n;
            frame[i] = signal[n] * _window[i];
        }
    }

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
