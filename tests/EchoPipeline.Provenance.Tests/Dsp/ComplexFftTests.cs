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
        fft.Inverse(ir, ii);

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

    [Theory]
    [InlineData(0)]
    [InlineData(12)]
    public void A_size_that_is_not_a_power_of_two_is_refused(int n) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ComplexFft(n));
}
