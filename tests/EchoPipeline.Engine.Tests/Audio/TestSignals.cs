using EchoPipeline.Testing;

namespace EchoPipeline.Engine.Tests.Audio;

/// <summary>Signals built exactly as tools/dsp_reference.py builds them (float64, rounded to float32), and fixture readers.</summary>
internal static class TestSignals
{
    public const int SampleRate = 22050;

    public static float[] Short()
    {
        var x = new float[3000];
        for (var n = 0; n < x.Length; n++)
        {
            var noise = (((long)n * 7919 % 101) / 50.0) - 1.0;
            x[n] = (float)((0.6 * Math.Sin(2 * Math.PI * 1000 * n / SampleRate))
                + (0.3 * Math.Sin((2 * Math.PI * 3100.5 * n / SampleRate) + 0.25)) + (0.05 * noise));
        }

        return x;
    }

    public static float[] Chirp()
    {
        const double f0 = 150, f1 = 7000, duration = 12;
        var x = new float[12 * SampleRate];
        for (var n = 0; n < x.Length; n++)
        {
            var t = (double)n / SampleRate;
            var chirp = Math.Sin(2 * Math.PI * ((f0 * t) + ((f1 - f0) * t * t / (2 * duration))));
            var tone = Math.Sin(2 * Math.PI * 440 * t) * (0.5 + (0.5 * Math.Sin(2 * Math.PI * 0.3 * t)));
            x[n] = (float)((0.4 * chirp) + (0.25 * tone));
        }

        return x;
    }

    public static float[] Tone(double hz, double amplitude, int length)
    {
        var x = new float[length];
        for (var n = 0; n < length; n++)
        {
            x[n] = (float)(amplitude * Math.Sin(2 * Math.PI * hz * n / SampleRate));
        }

        return x;
    }

    public static double[] ToDouble(float[] x) => Array.ConvertAll(x, v => (double)v);

    public static float[] ReadFloat32(string name)
    {
        var bytes = File.ReadAllBytes(RepoPaths.Fixture("dsp", name));
        var values = new float[bytes.Length / 4];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = BitConverter.ToSingle(bytes, 4 * i);
        }

        return values;
    }

    /// <summary>Frequency of the strongest bin of a Hann-windowed FFT of the middle 16384 samples.</summary>
    public static double DominantFrequency(ReadOnlySpan<float> audio, int sampleRate)
    {
        const int n = 16384;
        var fft = new EchoPipeline.Engine.Audio.RealFft(n);
        var start = (audio.Length - n) / 2;
        var frame = new double[n];
        for (var i = 0; i < n; i++)
        {
            frame[i] = audio[start + i] * (0.5 - (0.5 * Math.Cos(2 * Math.PI * i / n)));
        }

        double[] re = new double[fft.Bins], im = new double[fft.Bins];
        fft.Forward(frame, re, im);
        var best = 0;
        for (var k = 1; k < re.Length; k++)
        {
            if ((re[k] * re[k]) + (im[k] * im[k]) > (re[best] * re[best]) + (im[best] * im[best]))
            {
                best = k;
            }
        }

        return (double)best * sampleRate / n;
    }
}
