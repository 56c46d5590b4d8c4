using EchoPipeline.Engine.Audio;

namespace EchoPipeline.Cli.Evaluation;

/// <summary>
/// A clip's mel spectrogram as power per mel band and frame, through the engine's own front end (so real and generated
/// audio are measured alike): the [0, 1] mel maps back to decibels with the bundle's range, then to power.
/// </summary>
internal sealed record PowerMel(float[] Mel, double[] Power, int Bands, int Frames, double[] CentreHz, double FrameRate)
{
    public static PowerMel Of(ReadOnlySpan<float> waveform, MelFrontEnd frontEnd)
    {
        var p = frontEnd.Parameters;
        var mel = frontEnd.Compute(waveform);
        var power = new double[mel.Length];
        for (var i = 0; i < mel.Length; i++)
        {
            var db = (mel[i] * p.DynamicRangeDb) + p.ReferenceDb - p.DynamicRangeDb;
            power[i] = Math.Pow(10, db / 10);
        }

        return new PowerMel(mel, power, p.MelBins, p.Frames, CentreFrequencies(p), p.SampleRate / (double)p.HopLength);
    }

    /// <summary>Centre of each Slaney mel band: the inner points of the bins + 2 band edges.</summary>
    public static double[] CentreFrequencies(MelParameters p) =>
        SlaneyMelScale.Frequencies(p.MelBins + 2, p.FMin, p.FMax)[1..^1];

    public double this[int band, int frame] => Power[(band * Frames) + frame];

    /// <summary>Power of one frame summed over the bands.</summary>
    public double FrameEnergy(int frame)
    {
        var sum = 0.0;
        for (var m = 0; m < Bands; m++)
        {
            sum += this[m, frame];
        }

        return sum;
    }

    /// <summary>Mean of the [0, 1] mel value of each band over the frames: the features of the Fréchet distance.</summary>
    public double[] BandMeans()
    {
        var means = new double[Bands];
        for (var m = 0; m < Bands; m++)
        {
            means[m] = Mel.AsSpan(m * Frames, Frames).ToArray().Average();
        }

        return means;
    }
}
