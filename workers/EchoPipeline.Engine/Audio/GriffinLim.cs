using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using EchoPipeline.Engine.Randomness;
using EchoPipeline.Provenance.Dsp;

namespace EchoPipeline.Engine.Audio;

/// <summary>
/// A vocoder without weights: [0, 1] mel → linear mel magnitudes (<see cref="MelNormalization"/>) → linear STFT
/// magnitudes (<see cref="MelInverter"/>) → phase by fast Griffin-Lim (Perraudin, Balazs, Søndergaard 2013):
/// c = P(t), t = c + α (c − c_prev), where P keeps the phase of the STFT of the inverse STFT. Frame t of the mel is
/// centred on output sample t * hop and the output is exactly Frames * hop samples long. The initial phase comes
/// from a seeded generator, so a given mel always yields the same samples, whatever the number of threads its frames
/// run on (<see cref="GriffinLimOptions.MaxDegreeOfParallelism"/>). Thread-safe.
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
        _inverter = new MelInverter(SlaneyMelFilterbank.Create(parameters), Options.MelInversionIterations, Options.MaxDegreeOfParallelism);
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

        var pool = ArrayPool<double>.Shared;
        var linearMel = pool.Rent(p.MelLength);
        var magnitude = pool.Rent(p.Frames * p.FrequencyBins);
        var signal = pool.Rent(p.OutputSamples);
        try
        {
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

            _inverter.Invert(linearMel.AsSpan(0, p.MelLength), magnitude.AsSpan(0, p.Frames * p.FrequencyBins));
            Reconstruct(magnitude.AsSpan(0, p.Frames * p.FrequencyBins), signal.AsSpan(0, p.OutputSamples), cancellationToken);
            for (var n = 0; n < p.OutputSamples; n++)
            {
                destination[n] = (float)signal[n];
            }
        }
        finally
        {
            pool.Return(linearMel);
            pool.Return(magnitude);
            pool.Return(signal);
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

        if (Options.Iterations > 0 && signal.Length <= _stft.NFft / 2)
        {
            throw new ArgumentException($"Reflect padding by {_stft.NFft / 2} needs a signal longer than that; got {signal.Length} samples.");
        }

        // Frames run on pool threads, which cannot see spans: everything lives in pooled arrays for the call.
        var size = magnitude.Length;
        var pool = ArrayPool<double>.Shared;
        var state = new State(
            frames,
            signal.Length,
            pool.Rent(size),
            pool.Rent(size),
            pool.Rent(size),
            pool.Rent(size),
            pool.Rent(size),
            pool.Rent(frames * _stft.NFft),
            pool.Rent(signal.Length),
            _stft.Divisor(frames, signal.Length));
        try
        {
            magnitude.CopyTo(state.Target);
            state.PreviousRe.AsSpan(0, size).Clear();
            state.PreviousIm.AsSpan(0, size).Clear();
            var random = new SplitMix64(Options.Seed);
            for (var i = 0; i < size; i++)
            {
                (state.PhaseIm[i], state.PhaseRe[i]) = Math.SinCos(2.0 * Math.PI * random.NextDouble());
            }

            for (var iteration = 0; iteration < Options.Iterations; iteration++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Inverse(state);
                FrameRanges.For(frames, Options.MaxDegreeOfParallelism, (first, end) => Project(state, first, end));
            }

            cancellationToken.ThrowIfCancellationRequested();
            Inverse(state);
            state.Signal.AsSpan(0, signal.Length).CopyTo(signal);
        }
        finally
        {
            foreach (var array in (double[][])[state.Target, state.PhaseRe, state.PhaseIm, state.PreviousRe, state.PreviousIm, state.Windowed, state.Signal])
            {
                pool.Return(array);
            }
        }
    }

    /// <summary>Signal = inverse STFT of magnitude × phase: the frames in parallel, then the overlap-add by sample range.</summary>
    private void Inverse(State state)
    {
        var bins = _stft.FrequencyBins;
        var nFft = _stft.NFft;
        FrameRanges.For(state.Frames, Options.MaxDegreeOfParallelism, (first, end) =>
        {
            var scratch = ArrayPool<double>.Shared.Rent(2 * bins);
            Span<double> re = scratch.AsSpan(0, bins), im = scratch.AsSpan(bins, bins);
            for (var t = first; t < end; t++)
            {
                var row = new Range(t * bins, (t + 1) * bins);
                TensorPrimitives.Multiply(state.PhaseRe.AsSpan(row), state.Target.AsSpan(row), re);
                TensorPrimitives.Multiply(state.PhaseIm.AsSpan(row), state.Target.AsSpan(row), im);
                _stft.InverseFrame(re, im, state.Windowed.AsSpan(t * nFft, nFft));
            }

            ArrayPool<double>.Shared.Return(scratch);
        });

        var hop = _stft.HopLength;
        FrameRanges.For((state.Length + hop - 1) / hop, Options.MaxDegreeOfParallelism, (first, end) =>
            _stft.OverlapAdd(state.Windowed.AsSpan(0, state.Frames * nFft), state.Signal.AsSpan(0, state.Length), first * hop, Math.Min(state.Length, end * hop), state.Divisor));
    }

    /// <summary>Fast Griffin-Lim's projection for frames [first, end): c = P(t), phase of c + α (c − c_prev).</summary>
    private void Project(State state, int first, int end)
    {
        var bins = _stft.FrequencyBins;
        var scratch = ArrayPool<double>.Shared.Rent(2 * bins);
        Span<double> re = scratch.AsSpan(0, bins), im = scratch.AsSpan(bins, bins);
        var signal = state.Signal.AsSpan(0, state.Length);
        for (var t = first; t < end; t++)
        {
            _stft.ForwardFrame(signal, t, re, im);
            var row = new Range(t * bins, (t + 1) * bins);
            Accelerate(re, im, state.PreviousRe.AsSpan(row), state.PreviousIm.AsSpan(row), state.PhaseRe.AsSpan(row), state.PhaseIm.AsSpan(row));
        }

        ArrayPool<double>.Shared.Return(scratch);
    }

    /// <summary>
    /// t = c + α (c − previous), previous ← c, phase ← t / |t| (1 where |t| = 0). Vector lanes do exactly the scalar
    /// IEEE operations, so the result does not depend on the vector width.
    /// </summary>
    private void Accelerate(ReadOnlySpan<double> re, ReadOnlySpan<double> im, Span<double> previousRe, Span<double> previousIm, Span<double> phaseRe, Span<double> phaseIm)
    {
        var alpha = Options.Momentum;
        var k = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var alphas = new Vector<double>(alpha);
            for (; k + Vector<double>.Count <= re.Length; k += Vector<double>.Count)
            {
                var cr = new Vector<double>(re[k..]);
                var ci = new Vector<double>(im[k..]);
                var tr = cr + (alphas * (cr - new Vector<double>(previousRe[k..])));
                var ti = ci + (alphas * (ci - new Vector<double>(previousIm[k..])));
                cr.CopyTo(previousRe[k..]);
                ci.CopyTo(previousIm[k..]);
                var norm = Vector.SquareRoot((tr * tr) + (ti * ti));
                var positive = Vector.GreaterThan(norm, Vector<double>.Zero);
                Vector.ConditionalSelect(positive, tr / norm, Vector<double>.One).CopyTo(phaseRe[k..]);
                Vector.ConditionalSelect(positive, ti / norm, Vector<double>.Zero).CopyTo(phaseIm[k..]);
            }
        }

        for (; k < re.Length; k++)
        {
            var tr = re[k] + (alpha * (re[k] - previousRe[k]));
            var ti = im[k] + (alpha * (im[k] - previousIm[k]));
            previousRe[k] = re[k];
            previousIm[k] = im[k];
            var norm = Math.Sqrt((tr * tr) + (ti * ti));
            (phaseRe[k], phaseIm[k]) = norm > 0 ? (tr / norm, ti / norm) : (1.0, 0.0);
        }
    }

    /// <summary>One reconstruction's buffers (pooled, so longer than needed: Frames and Length say how much is used).</summary>
    private sealed record State(
        int Frames,
        int Length,
        double[] Target,
        double[] PhaseRe,
        double[] PhaseIm,
        double[] PreviousRe,
        double[] PreviousIm,
        double[] Windowed,
        double[] Signal,
        double[] Divisor);
}
