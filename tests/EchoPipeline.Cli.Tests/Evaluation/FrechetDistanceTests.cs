using EchoPipeline.Cli.Evaluation;

namespace EchoPipeline.Cli.Tests.Evaluation;

public sealed class FrechetDistanceTests
{
    private static List<double[]> RandomSet(int count, int dimensions, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, dimensions).Select(d => random.NextDouble() * (d + 1)).ToArray())];
    }

    [Fact]
    public void Identical_sets_are_at_distance_zero()
    {
        var set = RandomSet(40, 12, seed: 1);

        Assert.Equal(0, FrechetDistance.Between(set, set), 8);
    }

    [Fact]
    public void A_shifted_set_is_at_the_squared_length_of_the_shift()
    {
        var set = RandomSet(40, 12, seed: 2);
        var shift = Enumerable.Range(0, 12).Select(d => 0.1 * d).ToArray();  // |shift|^2 = 0.01 * sum d^2 = 5.06
        var shifted = set.Select(v => v.Zip(shift, (a, b) => a + b).ToArray()).ToList();

        Assert.Equal(5.06, FrechetDistance.Between(set, shifted), 8);
    }

    [Fact]
    public void In_one_dimension_it_is_the_squared_differences_of_means_and_deviations()
    {
        // {-1, 1}: mean 0, sample variance 2. {1, 5}: mean 3, sample variance 8. (0-3)^2 + (sqrt 2 - sqrt 8)^2 = 9 + 2.
        Assert.Equal(11, FrechetDistance.Between([[-1], [1]], [[1], [5]]), 9);
    }

    [Fact]
    public void Independent_axes_add_up()
    {
        // Axis 0: variances 1 and 4 -> (1 - 2)^2; axis 1: variances 4 and 9 -> (2 - 3)^2. Equal means.
        double[][] first = [[-1, 0], [1, 0], [0, -2], [0, 2]];
        double[][] second = [[-2, 0], [2, 0], [0, -3], [0, 3]];
        // Sample variances (n - 1 = 3): axis 0: 2/3 and 8/3, axis 1: 8/3 and 18/3.
        var expected = Math.Pow(Math.Sqrt(2 / 3.0) - Math.Sqrt(8 / 3.0), 2) + Math.Pow(Math.Sqrt(8 / 3.0) - Math.Sqrt(18 / 3.0), 2);

        Assert.Equal(expected, FrechetDistance.Between(first, second), 9);
    }

    [Fact]
    public void Jacobi_finds_the_eigenvalues_of_a_symmetric_matrix()
    {
        var (values, vectors) = SymmetricEigen.Decompose([2, 1, 1, 2], 2);

        Assert.Equal([1.0, 3.0], values.Order().Select(v => Math.Round(v, 12)));
        // Columns are unit eigenvectors: A v = lambda v.
        for (var k = 0; k < 2; k++)
        {
            double x = vectors[k], y = vectors[2 + k];
            Assert.Equal(values[k] * x, (2 * x) + y, 12);
            Assert.Equal(1, (x * x) + (y * y), 12);
        }
    }

    [Fact]
    public void Sets_too_small_for_a_covariance_are_refused() =>
        Assert.Throws<ArgumentException>(() => FrechetDistance.Between([[1.0]], [[1.0], [2.0]]));
}
