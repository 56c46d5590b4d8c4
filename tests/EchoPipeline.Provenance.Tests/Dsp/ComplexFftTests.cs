using EchoPipeline.Provenance.Dsp;

namespace EchoPipeline.Provenance.Tests.Dsp;

/// <summary>The FFT against the defining O(N^2) sum.</summary>
public sealed class ComplexFftTests
{
    // Radix-2 rounding error grows like eps * log2 N; a wrong twiddle, sign or permutation errs by order one.
    private const double Tolerance = 1e-9;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(16)]
    [InlineData(1024)]
    public void Forward_and_inverse_match_the_naive_dft(int n)
    {
        var random = new Random(n);
        var re = Enumerable.Range(0, n).Select(_ => random.NextDouble() - 0.5).ToArray();
        var im = Enumerable.Range(0, n).Select(_ => random.NextDouble() - 0.5).ToArray();
        var fft = new ComplexFft(n);

        var (fr, fi) = ((double[])re.Clone(), (double[])im.Clone());
        fft.Forward(fr, fi);
        var (ir, ii) = ((double[])re.Clone(), (double[])im.Clone());
        fft.InverseNormalized(ir, ii);

        for (var k = 0; k < n; k++)
        {
            double sr = 0, si = 0, tr = 0, ti = 0;
            for (var j = 0; j < n; j++)
            {
                var angle = 2 * Math.PI * k * j / n;
                var (c, s) = (Math.Cos(angle), Math.Sin(angle));
                sr += (re[j] * c) + (im[j] * s);
                si += (im[j] * c) - (re[j] * s);
                tr += (re[j] * c) - (im[j] * s);
                ti += (im[j] * c) + (re[j] * s);
            }

            Assert.Equal(sr, fr[k], Tolerance);
            Assert.Equal(si, fi[k], Tolerance);
            Assert.Equal(tr / n, ir[k], Tolerance);
            Assert.Equal(ti / n, ii[k], Tolerance);
        }
    }

    [Fact]
    public void The_plain_inverse_is_unscaled_so_forward_then_inverse_gives_n_times_the_input()
    {
        var fft = new ComplexFft(64);
        var random = new Random(64);
        var re = Enumerable.Range(0, 64).Select(_ => random.NextDouble() - 0.5).ToArray();
        var (xr, xi) = ((double[])re.Clone(), new double[64]);

        fft.Forward(xr, xi);
        fft.Inverse(xr, xi);

        Assert.All(Enumerable.Range(0, 64), n => Assert.Equal(64 * re[n], xr[n], Tolerance));
        Assert.All(xi, v => Assert.Equal(0, v, Tolerance));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(12)]
    [InlineData(1000)]
    public void A_size_that_is_not_a_power_of_two_is_refused(int n) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ComplexFft(n));
}
