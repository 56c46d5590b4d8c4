using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace EchoPipeline.Engine.Generation.Sampling;

/// <summary>Categorical sampling from logits, in float64, by inverse CDF with a caller-supplied uniform.</summary>
public static class TokenSampler
{
    /// <summary>probs = softmax(logits) computed in float64 (max-subtracted so large logits do not overflow), vectorized.</summary>
    public static void Softmax(ReadOnlySpan<float> logits, Span<double> probabilities)
    {
        var sum = ExponentiateShifted(logits, probabilities);
        TensorPrimitives.Divide(probabilities, sum, probabilities);
    }

    /// <summary>The smallest j with cumsum(probs)[j] &gt; u; the last code when rounding leaves the total at or below u.</summary>
    public static int SampleInverseCdf(ReadOnlySpan<double> probabilities, double uniform)
    {
        double cumulative = 0;
        for (var j = 0; j < probabilities.Length; j++)
        {
            cumulative += probabilities[j];
            if (cumulative > uniform)
            {
                return j;
            }
        }

        return probabilities.Length - 1;
    }

    /// <summary>
    /// <see cref="Softmax"/> then <see cref="SampleInverseCdf"/> in one pass, bit for bit: the same exponentials and
    /// sum, and each probability divided only as the cumulative scan reaches it (IEEE division rounds the same one at
    /// a time as in a vector), so the codes after the sampled one are never divided. Returns the code and its probability.
    /// </summary>
    /// <param name="scratch">One entry per code; holds the unnormalized exponentials afterwards.</param>
    public static (int Id, double Probability) Sample(ReadOnlySpan<float> logits, double uniform, Span<double> scratch)
    {
        var exponentials = scratch[..logits.Length];
        var sum = ExponentiateShifted(logits, exponentials);
        double cumulative = 0;
        for (var j = 0; j < exponentials.Length; j++)
        {
            var probability = exponentials[j] / sum;
            cumulative += probability;
            if (cumulative > uniform)
            {
                return (j, probability);
            }
        }

        return (exponentials.Length - 1, exponentials[^1] / sum);
    }

    /// <summary>destination = exp(logits - max) in float64; returns its sum. Widening and subtracting are exact per element.</summary>
    private static double ExponentiateShifted(ReadOnlySpan<float> logits, Span<double> destination)
    {
        if (destination.Length != logits.Length)
        {
            throw new ArgumentException($"probabilities has {destination.Length} entries, logits {logits.Length}.", nameof(destination));
        }

        // The float maximum widens to the double maximum of the widened logits (widening is exact and monotonic).
        double max = TensorPrimitives.Max(logits);
        var j = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var shift = Vector256.Create(max);
            for (; j <= logits.Length - Vector256<float>.Count; j += Vector256<float>.Count)
            {
                var (lower, upper) = Vector256.Widen(Vector256.Create(logits.Slice(j, Vector256<float>.Count)));
                (lower - shift).CopyTo(destination[j..]);
                (upper - shift).CopyTo(destination[(j + Vector256<double>.Count)..]);
            }
        }

        for (; j < logits.Length; j++)
        {
            destination[j] = logits[j] - max;
        }

        TensorPrimitives.Exp(destination, destination);
        return TensorPrimitives.Sum(destination);
    }
}
