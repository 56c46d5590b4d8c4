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
    /// <param name="scratch">At least one entry per code; holds the unnormalized exponentials afterwards.</param>
    public static (int Id, double Probability) Sample(ReadOnlySpan<float> logits, double uniform, Span<double> scratch)
    {
        if (scratch.Length < logits.Length)
        {
            throw new ArgumentException($"scratch has {scratch.Length} entries, logits {logits.Length}.", nameof(scratch));
        }

        var exponentials = scratch[..logits.Length];
        var sum = ExponentiateShifted(logits, exponentials);
        double cumulative = 0;
        var j = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            // Eight divisions at once, then the same left-to-right additions.
            Span<double> block = stackalloc double[Vector512<double>.Count];
            var divisor = Vector512.Create(sum);
            for (; j <= exponentials.Length - block.Length; j += block.Length)
            {
                (Vector512.Create(exponentials.Slice(j, block.Length)) / divisor).CopyTo(block);
                for (var k = 0; k < block.Length; k++)
                {
                    cumulative += block[k];
                    if (cumulative > uniform)
                    {
                        return (j + k, block[k]);
                    }
                }
            }
        }

        for (; j < exponentials.Length; j++)
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

    /// <summary>
    /// destination = exp(logits - max) in float64; returns its sum. Widening and subtracting are exact per element;
    /// the exponential is <see cref="TensorPrimitives.Exp{T}(ReadOnlySpan{T}, Span{T})"/>'s: on rows of at least one
    /// 512-bit vector that is <see cref="Vector512.Exp(Vector512{double})"/> on every element (its tail as an
    /// overlapping last vector, as TensorPrimitives does), here fused with the widening into one pass.
    /// </summary>
    private static double ExponentiateShifted(ReadOnlySpan<float> logits, Span<double> destination)
    {
        if (destination.Length != logits.Length)
        {
            throw new ArgumentException($"probabilities has {destination.Length} entries, logits {logits.Length}.", nameof(destination));
        }

        // The float maximum widens to the double maximum of the widened logits (widening is exact and monotonic).
        double max = TensorPrimitives.Max(logits);
        var width = Vector512<double>.Count;
        if (Vector512.IsHardwareAccelerated && logits.Length >= width)
        {
            var shift = Vector512.Create(max);
            for (var j = 0; j < logits.Length; j += width)
            {
                var at = Math.Min(j, logits.Length - width);
                var (lower, upper) = Vector256.Widen(Vector256.Create(logits.Slice(at, width)));
                Vector512.Exp(Vector512.Create(lower, upper) - shift).CopyTo(destination[at..]);
            }
        }
        else
        {
            for (var j = 0; j < logits.Length; j++)
            {
                destination[j] = logits[j] - max;
            }

            TensorPrimitives.Exp(destination, destination);
        }

        return TensorPrimitives.Sum(destination);
    }
}
