using System.Numerics.Tensors;

namespace EchoPipeline.Engine.Generation.Sampling;

/// <summary>Categorical sampling from logits, in float64, by inverse CDF with a caller-supplied uniform.</summary>
public static class TokenSampler
{
    /// <summary>probs = softmax(logits) computed in float64 (max-subtracted so large logits do not overflow), vectorized.</summary>
    public static void Softmax(ReadOnlySpan<float> logits, Span<double> probabilities)
    {
        if (probabilities.Length != logits.Length)
        {
            throw new ArgumentException($"probabilities has {probabilities.Length} entries, logits {logits.Length}.", nameof(probabilities));
        }

        TensorPrimitives.ConvertChecked(logits, probabilities);
        TensorPrimitives.Subtract(probabilities, TensorPrimitives.Max(probabilities), probabilities);
        TensorPrimitives.Exp(probabilities, probabilities);
        TensorPrimitives.Divide(probabilities, TensorPrimitives.Sum(probabilities), probabilities);
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
}
