namespace EchoPipeline.Engine.Audio;

/// <summary>
/// SpecVQGAN's audio front end (DESIGN §3): mono samples at the model rate, zero-padded or cut to the clip length,
/// centred STFT magnitude, Slaney mel, decibels normalised to [0, 1], then frames
/// [CropStart, CropStart + Frames) of the first FramesBeforeCrop. Output is row-major [MelBins, Frames].
/// Thread-safe.
/// </summary>
public sealed class MelFrontEnd
{
    private readonly Stft _stft;
    private readonly SlaneyMelFilterbank _filterbank;

    public MelFrontEnd(MelParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.Validate();
        Parameters = parameters;
        _stft = Stft.Create(parameters);
        _filterbank = SlaneyMelFilterbank.Create(parameters);
    }

    public MelParameters Parameters { get; }

    public float[] Compute(ReadOnlySpan<float> samples)
    {
        var mel = new float[Parameters.MelLength];
        Compute(samples, mel);
        return mel;
    }

    public void Compute(ReadOnlySpan<float> samples, Span<float> destination)
    {
        var p = Parameters;
        if (destination.Length != p.MelLength)
        {
            throw new ArgumentException($"Destination must hold {p.MelBins}x{p.Frames} = {p.MelLength} values; got {destination.Length}.", nameof(destination));
        }

        var clip = new double[p.ClipSamples];
        var kept = Math.Min(samples.Length, clip.Length);
        for (var n = 0; n < kept; n++)
        {
            if (!float.IsFinite(samples[n]))
            {
                throw new ArgumentException($"Sample {n} is {samples[n]}; audio must be finite.", nameof(samples));
            }

            clip[n] = samples[n];
        }

        var bins = p.FrequencyBins;
        var magnitude = new double[p.Frames * bins];
        _stft.Magnitude(clip, p.CropStart, magnitude);
        var mel = new double[p.MelBins];
        for (var t = 0; t < p.Frames; t++)
        {
            _filterbank.Apply(magnitude.AsSpan(t * bins, bins), mel);
            for (var m = 0; m < mel.Length; m++)
            {
                destination[(m * p.Frames) + t] = MelNormalization.Normalize(mel[m], p);
            }
        }
    }
}
