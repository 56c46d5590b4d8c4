using EchoPipeline.Engine.Randomness;

namespace EchoPipeline.Engine.Audio;

/// <summary>
/// A vocoder without weights: [0, 1] mel → linear mel magnitudes (<see cref="MelNormalization"/>) → linear STFT
/// magnitudes (<see cref="MelInverter"/>) → phase by fast Griffin-Lim (Perraudin, Balazs, Søndergaard 2013):
/// c = P(t), t = c + α (c − c_prev), where P keeps the phase of the STFT of the inverse STFT. Frame t of the mel is
/// centred on output sample t * hop and the output is exactly Frames * hop samples long. The initial phase comes
/// from a seeded generator, so a given mel always yields the same samples. Thread-safe.
/// </summary>
public sealed class GriffinLim
{
    private readonly Stft _stft;
    private readonly MelInverter _inverter;

    public GriffinLim(MelParameters parameters, GriffinLimOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.Validate();
        Options = options ?? GriffinLimOptions.Default;
        Options.Validate();
        Parameters = parameters;
        _stft = Stft.Create(parameters);
        _inverter = new MelInverter(SlaneyMelFilterbank.Create(parameters), Options.MelInversionIterations);
    }

    public MelParameters Parameters { get; }

    public GriffinLimOptions Options { get; }

    /// <summary>Waveform of <see cref="MelParameters.OutputSamples"/> samples from a row-major [MelBins, Frames] mel in [0, 1].</summary>
    public float[] Synthesize(ReadOnlySpan<float> mel, CancellationToken cancellationToken = default)
    {
        var audio = new float[Parameters.OutputSamples];
        Synthesize(mel, audio, cancellationToken);
        return audio;
    }

    public void Synthesize(ReadOnlySpan<float> mel, Span<float> destination, CancellationToken cancellationToken = default)
    {
        var p = Parameters;
        if (mel.Length != p.MelLength)
        {
            throw new ArgumentException($"Mel must hold {p.MelBins}x{p.Frames} = {p.MelLength} values; got {mel.Length}.", nameof(mel));
        }

        if (destination.Length != p.OutputSamples)
        {
            throw new ArgumentException($"Destination must hold {p.OutputSamples} samples; got {destination.Length}.", nameof(destination));
        }

        var linearMel = new double[p.MelLength];
        for (var m = 0; m < p.MelBins; m++)
        {
            for (var t = 0; t < p.Frames; t++)
            {
                var x = mel[(m * p.Frames) + t];
                if (float.IsNaN(x))
                {
                    throw new ArgumentException($"Mel value at bin {m}, frame {t} is NaN.", nameof(mel));
                }

                linearMel[(t * p.MelBins) + m] = MelNormalization.Denormalize(x, p);
            }
        }

        var magnitude = new double[p.Frames * p.FrequencyBins];
        _inverter.Invert(linearMel, magnitude);
        var signal = new double[p.OutputSamples];
        Reconstruct(magnitude, signal, cancellationToken);
        for (var n = 0; n < signal.Length; n++)
        {
            destination[n] = (float)signal[n];
        }
    }

    /// <summary>
    /// Phase reconstruction alone: a signal whose STFT magnitude approaches magnitude (row-major [frames, bins],
    /// frame t centred on sample t * hop). The signal may be any length covering the frames.
    /// </summary>
    public void Reconstruct(ReadOnlySpan<double> magnitude, Span<double> signal, CancellationToken cancellationToken = default)
    {
        var bins = _stft.FrequencyBins;
        var frames = magnitude.Length / bins;
        if (magnitude.Length % bins != 0 || frames > _stft.FrameCount(signal.Length))
        {
            throw new ArgumentException(
                $"Magnitude must be whole frames of {bins} bins that a {signal.Length}-sample signal covers; got {magnitude.Length} values.");
        }

        var size = magnitude.Length;
        double[] re = new double[size], im = new double[size];
        double[] rebuiltRe = new double[size], rebuiltIm = new double[size];
        double[] previousRe = new double[size], previousIm = new double[size];
        var random = new SplitMix64(Options.Seed);
        for (var i = 0; i < size; i++)
        {
            (im[i], re[i]) = Math.SinCos(2.0 * Math.PI * random.NextDouble());
        }

        var alpha = Options.Momentum;
        for (var iteration = 0; iteration < Options.Iterations; iteration++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Scale(re, im, magnitude);
            _stft.Inverse(re, im, signal);
            _stft.Forward(signal, 0, rebuiltRe, rebuiltIm);
            for (var i = 0; i < size; i++)
            {
                var tr = rebuiltRe[i] + (alpha * (rebuiltRe[i] - previousRe[i]));
                var ti = rebuiltIm[i] + (alpha * (rebuiltIm[i] - previousIm[i]));
                var norm = Math.Sqrt((tr * tr) + (ti * ti));
                (re[i], im[i]) = norm > 0 ? (tr / norm, ti / norm) : (1.0, 0.0);
            }

            (previousRe, rebuiltRe) = (rebuiltRe, previousRe);
            (previousIm, rebuiltIm) = (rebuiltIm, previousIm);
        }

        cancellationToken.ThrowIfCancellationRequested();
        Scale(re, im, magnitude);
        _stft.Inverse(re, im, signal);
    }

    private static void Scale(Span<double> re, Span<double> im, ReadOnlySpan<double> magnitude)
    {
        for (var i = 0; i < magnitude.Length; i++)
        {
            re[i] *= magnitude[i];
            im[i] *= magnitude[i];
        }
    }
}
