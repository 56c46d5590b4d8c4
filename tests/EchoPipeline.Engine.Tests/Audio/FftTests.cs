using EchoPipeline.Engine.Audio;

namespace EchoPipeline.Engine.Tests.Audio;

/// <summary>The real FFT against the defining O(N²) DFT sum on random data (the complex one: Provenance.Tests/Dsp).</summary>
public sealed class FftTests
{
    // Double-precision radix-2 error grows like eps * log2 N; 1e-9 on unit-scale data leaves wide margin yet catches
    // any wrong twiddle, permutation or sign (those give errors of order 1).
    private const double Tolerance = 1e-9;

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(16)]
    [InlineData(1024)]
    public void Real_forward_matches_the_naive_dft_and_inverse_restores_the_signal(int n)
    {
        var random = new Random(1000 + n);
        var x = Enumerable.Range(0, n).Select(_ => (random.NextDouble() * 2) - 1).ToArray();
        var (expectedRe, expectedIm) = NaiveDft(x, new double[n], -1);
        var fft = new RealFft(n);
        double[] re = new double[fft.Bins], im = new double[fft.Bins];

        fft.Forward(x, re, im);
        AssertClose(expectedRe[..fft.Bins], re);
        AssertClose(expectedIm[..fft.Bins], im);

        var restored = new double[n];
        fft.Inverse(re, im, restored);
        AssertClose(x, restored);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(1000)]
    public void Rejects_lengths_that_are_not_powers_of_two(int n)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RealFft(n));
    }

    [Fact]
    public void Names_the_expected_lengths_when_spans_are_wrong()
    {
        var error = Assert.Throws<ArgumentException>(() => new RealFft(8).Forward(new double[8], new double[4], new double[5]));
        Assert.Contains("spectra of 5", error.Message, StringComparison.Ordinal);
    }

    private static (double[] Re, double[] Im) NaiveDft(double[] re, double[] im, int sign)
    {
        var n = re.Length;
        double[] outRe = new double[n], outIm = new double[n];
        for (var k = 0; k < n; k++)
        {
            for (var t = 0; t < n; t++)
            {
                // Reduce k*t mod n first so the angle is exact to within one rounding.
                var angle = sign * 2 * Math.PI * ((long)k * t % n) / n;
                outRe[k] += (re[t] * Math.Cos(angle)) - (im[t] * Math.Sin(angle));
                outIm[k] += (re[t] * Math.Sin(angle)) + (im[t] * Math.Cos(angle));
            }
        }

        return (outRe, outIm);
    }

    private static void AssertClose(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        var worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst < Tolerance, $"max abs error {worst:E2} exceeds {Tolerance:E0}");
    }
}
