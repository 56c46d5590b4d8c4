using EchoPipeline.Engine.Audio;

namespace EchoPipeline.Engine.Tests.Audio;

public sealed class MelInverterTests
{
    private static readonly int[] IterationCounts = [0, 30];
    private readonly SlaneyMelFilterbank _bank = SlaneyMelFilterbank.Create(MelParameters.SpecVqgan);

    [Fact]
    public void Finds_a_non_negative_spectrum_whose_mel_matches_the_target()
    {
        var stft = Stft.Create(MelParameters.SpecVqgan);
        var signal = TestSignals.ToDouble(TestSignals.Chirp());
        const int frames = 40;
        var magnitude = new double[frames * 513];
        stft.Magnitude(signal, 300, magnitude);
        var mel = new double[frames * 80];
        for (var t = 0; t < frames; t++)
        {
            _bank.Apply(magnitude.AsSpan(t * 513, 513), mel.AsSpan(t * 80, 80));
        }

        var residuals = IterationCounts.Select(iterations =>
        {
            var inverted = new double[frames * 513];
            new MelInverter(_bank, iterations).Invert(mel, inverted);
            Assert.All(inverted, s => Assert.True(s >= 0));
            return RelativeMelError(inverted, mel, frames);
        }).ToArray();

        // The updates must reduce the residual of the even-spread start, and end within 10% of the target mel.
        Assert.True(residuals[1] < residuals[0] / 2, $"residual {residuals[0]:F4} -> {residuals[1]:F4}");
        Assert.True(residuals[1] < 0.1, $"residual {residuals[1]:F4}");
    }

    [Fact]
    public void The_spectrum_does_not_depend_on_the_number_of_threads()
    {
        var random = new Random(5);
        var mel = Enumerable.Range(0, 200 * 80).Select(_ => random.NextDouble()).ToArray();
        double[] serial = new double[200 * 513], parallel = new double[200 * 513];

        new MelInverter(_bank, 10, maxDegreeOfParallelism: 1).Invert(mel, serial);
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 8), io); // spare pool threads, or every range runs on this one
        try
        {
            new MelInverter(_bank, 10, maxDegreeOfParallelism: 4).Invert(mel, parallel);
        }
        finally
        {
            ThreadPool.SetMinThreads(workers, io);
        }

        Assert.Equal(serial, parallel);
        Assert.Contains(serial, s => s > 0);
    }

    [Fact]
    public void Leaves_bins_outside_every_filter_at_zero()
    {
        var inverted = new double[513];
        new MelInverter(_bank, 10).Invert(Enumerable.Repeat(1.0, 80).ToArray(), inverted);
        Assert.Equal(0, inverted[5]);      // 108 Hz < fMin 125
        Assert.Equal(0, inverted[400]);    // 8613 Hz > fMax 7600
        Assert.True(inverted[100] > 0);
    }

    private double RelativeMelError(double[] magnitude, double[] mel, int frames)
    {
        var estimate = new double[80];
        double error = 0, norm = 0;
        for (var t = 0; t < frames; t++)
        {
            _bank.Apply(magnitude.AsSpan(t * 513, 513), estimate);
            for (var m = 0; m < 80; m++)
            {
                error += Math.Pow(estimate[m] - mel[(t * 80) + m], 2);
                norm += Math.Pow(mel[(t * 80) + m], 2);
            }
        }

        return Math.Sqrt(error / norm);
    }
}
