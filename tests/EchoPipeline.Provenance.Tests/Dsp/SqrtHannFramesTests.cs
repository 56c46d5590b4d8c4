using EchoPipeline.Provenance.Dsp;

namespace EchoPipeline.Provenance.Tests.Dsp;

public sealed class SqrtHannFramesTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(511)]
    [InlineData(5000)]
    [InlineData(22050)]
    public void Synthesis_of_an_unchanged_analysis_returns_the_signal(int n)
    {
        var random = new Random(n);
        var x = Enumerable.Range(0, n).Select(_ => random.NextDouble() - 0.5).ToArray();
        var frames = SqrtHannFrames.FrameCount(n);
        var transform = new SqrtHannFrames();
        var (a, b) = (new Spectrum(), new Spectrum());
        var y = new double[n];

        for (var t = 0; t < frames; t += 2)
        {
            transform.Analyze(x, t, a, b);
            if (t + 1 >= frames)
            {
                b.Clear();
            }

            transform.SynthesizeAdd(a, b, t, y);
        }

        for (var i = 0; i < n; i++)
        {
            Assert.Equal(x[i], y[i], 1e-12);
        }
    }

    [Fact]
    public void Both_spectra_of_a_pair_equal_the_naive_dft_of_each_windowed_frame()
    {
        var random = new Random(3);
        var x = Enumerable.Range(0, 4000).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var (a, b) = (new Spectrum(), new Spectrum());

        new SqrtHannFrames().Analyze(x, 3, a, b);

        foreach (var (frame, spectrum) in new[] { (3, a), (4, b) })
        {
            var start = SqrtHannFrames.FrameStart(frame);
            foreach (var k in new[] { 0, 1, 17, 300, 512 })
            {
                double re = 0, im = 0;
                for (var m = 0; m < SqrtHannFrames.Size; m++)
                {
                    var value = x[start + m] * Math.Sin(Math.PI * m / SqrtHannFrames.Size);
                    var angle = 2 * Math.PI * k * m / SqrtHannFrames.Size;
                    re += value * Math.Cos(angle);
                    im -= value * Math.Sin(angle);
                }

                Assert.Equal(re, spectrum.Re[k], 1e-9);
                Assert.Equal(im, spectrum.Im[k], 1e-9);
            }
        }
    }
}
