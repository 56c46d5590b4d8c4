namespace EchoPipeline.Cli.Evaluation;

/// <summary>
/// Fréchet distance between Gaussians fitted to two sets of feature vectors (as FID/FAD compute it):
/// |mu1 - mu2|^2 + Tr(S1 + S2 - 2 (S1 S2)^(1/2)), with sample covariances (n - 1).
/// Tr((S1 S2)^(1/2)) is the sum of square roots of the eigenvalues of S1^(1/2) S2 S1^(1/2), which is symmetric.
/// </summary>
internal static class FrechetDistance
{
    public static double Between(IReadOnlyList<double[]> first, IReadOnlyList<double[]> second)
    {
        if (first.Count < 2 || second.Count < 2)
        {
            throw new ArgumentException($"Each set needs at least two vectors; got {first.Count} and {second.Count}.");
        }

        var n = first[0].Length;
        var (mean1, cov1) = Moments(first, n);
        var (mean2, cov2) = Moments(second, n);
        var meanTerm = mean1.Zip(mean2, (a, b) => (a - b) * (a - b)).Sum();
        var root1 = SquareRoot(cov1, n);
        var product = Multiply(Multiply(root1, cov2, n), root1, n);
        var (values, _) = SymmetricEigen.Decompose(Symmetrise(product, n), n);
        var cross = values.Sum(v => Math.Sqrt(Math.Max(v, 0)));
        var traces = Enumerable.Range(0, n).Sum(i => cov1[(i * n) + i] + cov2[(i * n) + i]);
        return meanTerm + traces - (2 * cross);
    }

    private static (double[] Mean, double[] Covariance) Moments(IReadOnlyList<double[]> set, int n)
    {
        var mean = new double[n];
        foreach (var v in set)
        {
            if (v.Length != n)
            {
                throw new ArgumentException($"Feature vectors differ in length: {v.Length} and {n}.");
            }

            for (var i = 0; i < n; i++)
            {
                mean[i] += v[i] / set.Count;
            }
        }

        var cov = new double[n * n];
        foreach (var v in set)
        {
            for (var i = 0; i < n; i++)
            {
                for (var j = 0; j < n; j++)
                {
                    cov[(i * n) + j] += (v[i] - mean[i]) * (v[j] - mean[j]) / (set.Count - 1);
                }
            }
        }

        return (mean, cov);
    }

    /// <summary>Square root of a symmetric positive semi-definite matrix (negative rounding noise clipped to 0).</summary>
    private static double[] SquareRoot(double[] matrix, int n)
    {
        var (values, vectors) = SymmetricEigen.Decompose(matrix, n);
        var root = new double[n * n];
        for (var k = 0; k < n; k++)
        {
            var s = Math.Sqrt(Math.Max(values[k], 0));
            for (var i = 0; i < n; i++)
            {
                for (var j = 0; j < n; j++)
                {
                    root[(i * n) + j] += vectors[(i * n) + k] * s * vectors[(j * n) + k];
                }
            }
        }

        return root;
    }

    private static double[] Multiply(double[] a, double[] b, int n)
    {
        var c = new double[n * n];
        for (var i = 0; i < n; i++)
        {
            for (var k = 0; k < n; k++)
            {
                var aik = a[(i * n) + k];
                for (var j = 0; j < n; j++)
                {
                    c[(i * n) + j] += aik * b[(k * n) + j];
                }
            }
        }

        return c;
    }

    private static double[] Symmetrise(double[] a, int n)
    {
        var s = new double[n * n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                s[(i * n) + j] = 0.5 * (a[(i * n) + j] + a[(j * n) + i]);
            }
        }

        return s;
    }
}
