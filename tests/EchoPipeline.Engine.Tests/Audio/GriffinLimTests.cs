using EchoPipeline.Engine.Audio;
using Xunit.Abstractions;

namespace EchoPipeline.Engine.Tests.Audio;

public sealed class GriffinLimTests(ITestOutputHelper output)
{
    private static readonly MelParameters Parameters = MelParameters.SpecVqgan;
    private static readonly int[] IterationCounts = [2, 8, 32];
    private readonly MelFrontEnd _frontEnd = new(Parameters);

    [Theory]
    [InlineData(30)]
    [InlineData(45)]
    [InlineData(60)]
    public void A_tone_comes_back_at_its_frequency_and_length(int bin)
    {
        var hz = SlaneyMelFilterbank.Create(Parameters).BandEdges[bin + 1];
        var mel = _frontEnd.Compute(TestSignals.Tone(hz, 0.5, 220500));

        var audio = new GriffinLim(Parameters).Synthesize(mel);

        Assert.Equal(217088, audio.Length);
        var dominant = TestSignals.DominantFrequency(audio, Parameters.SampleRate);
        Assert.True(Math.Abs(dominant - hz) <= 22050.0 / 1024, $"dominant {dominant:F1} Hz, tone {hz:F1} Hz");
    }

    [Fact]
    public void The_same_mel_gives_identical_samples_and_the_seed_changes_them()
    {
        var mel = _frontEnd.Compute(TestSignals.Chirp());
        var options = new GriffinLimOptions { Iterations = 4 };

        var first = new GriffinLim(Parameters, options).Synthesize(mel);
        var second = new GriffinLim(Parameters, options).Synthesize(mel);
        var reseeded = new GriffinLim(Parameters, options with { Seed = 1 }).Synthesize(mel);

        Assert.Equal(first, second);
        Assert.NotEqual(first, reseeded);
    }

    [Fact]
    public void The_samples_do_not_depend_on_the_number_of_threads()
    {
        // Frames run in parallel ranges; any shared scratch or order-dependent sum would show up as differing bits.
        var mel = _frontEnd.Compute(TestSignals.Chirp());
        var options = new GriffinLimOptions { Iterations = 4, Seed = 7 };
        var serial = new GriffinLim(Parameters, options with { MaxDegreeOfParallelism = 1 }).Synthesize(mel);

        // The test host keeps pool threads blocked; without spare ones every range would run on this thread.
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 8), io);
        float[] three, unbounded;
        var concurrent = new float[4][];
        try
        {
            three = new GriffinLim(Parameters, options with { MaxDegreeOfParallelism = 3 }).Synthesize(mel);
            unbounded = new GriffinLim(Parameters, options).Synthesize(mel);
            Parallel.For(0, concurrent.Length, i => concurrent[i] = new GriffinLim(Parameters, options).Synthesize(mel));
        }
        finally
        {
            ThreadPool.SetMinThreads(workers, io);
        }

        Assert.Equal(serial, three);
        Assert.Equal(serial, unbounded);
        Assert.All(concurrent, audio => Assert.Equal(serial, audio));
    }

    [Fact]
    public void Spectral_convergence_improves_with_iterations_and_momentum()
    {
        var mel = _frontEnd.Compute(TestSignals.Chirp());
        var target = LinearMagnitude(mel);

        var plain = SpectralConvergence(target, new GriffinLimOptions { Iterations = 8, Momentum = 0 });
        var fast = IterationCounts.Select(n => SpectralConvergence(target, new GriffinLimOptions { Iterations = n })).ToArray();

        output.WriteLine($"spectral convergence, momentum 0.99, 2/8/32 iterations: {string.Join(", ", fast.Select(x => x.ToString("F4", null)))}");
        output.WriteLine($"spectral convergence, momentum 0, 8 iterations: {plain:F4}");
        Assert.True(fast[0] > fast[1] && fast[1] > fast[2], "more iterations should fit the magnitude better");
        Assert.True(fast[1] < plain, "momentum should converge faster than plain Griffin-Lim");
    }

    [Fact]
    public void Honours_cancellation_and_rejects_a_wrong_mel()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var griffinLim = new GriffinLim(Parameters);

        Assert.ThrowsAny<OperationCanceledException>(() => griffinLim.Synthesize(new float[80 * 848], cancelled.Token));
        var error = Assert.Throws<ArgumentException>(() => griffinLim.Synthesize(new float[80 * 847]));
        Assert.Contains("67840", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new GriffinLim(Parameters, new GriffinLimOptions { Momentum = 1.5 }));
        var threads = Assert.Throws<ArgumentException>(() => new GriffinLim(Parameters, new GriffinLimOptions { MaxDegreeOfParallelism = 0 }));
        Assert.Contains("MaxDegreeOfParallelism", threads.Message, StringComparison.Ordinal);
    }

    private static double[] LinearMagnitude(float[] mel)
    {
        var linearMel = new double[mel.Length];
        for (var m = 0; m < 80; m++)
        {
            for (var t = 0; t < 848; t++)
            {
                linearMel[(t * 80) + m] = MelNormalization.Denormalize(mel[(m * 848) + t], Parameters);
            }
        }

        var magnitude = new double[848 * 513];
        new MelInverter(SlaneyMelFilterbank.Create(Parameters), 30).Invert(linearMel, magnitude);
        return magnitude;
    }

    /// <summary>|| |STFT(x)| - S ||_F / ||S||_F for x reconstructed from S.</summary>
    private static double SpectralConvergence(double[] target, GriffinLimOptions options)
    {
        var signal = new double[Parameters.OutputSamples];
        new GriffinLim(Parameters, options).Reconstruct(target, signal);
        var rebuilt = new double[target.Length];
        Stft.Create(Parameters).Magnitude(signal, 0, rebuilt);
        double error = 0, norm = 0;
        for (var i = 0; i < target.Length; i++)
        {
            error += Math.Pow(rebuilt[i] - target[i], 2);
            norm += target[i] * target[i];
        }

        return Math.Sqrt(error / norm);
    }
}
