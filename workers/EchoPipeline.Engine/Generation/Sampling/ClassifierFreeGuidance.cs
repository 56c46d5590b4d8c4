using System.Numerics.Tensors;

namespace EchoPipeline.Engine.Generation.Sampling;

/// <summary>
/// Classifier-free guidance: on logits, u + s * (c - u) in float32 like the reference; on probabilities, the paper's
/// s * p_c + (1 - s) * p_u in float64 with negative mass clipped (see <see cref="GuidanceSpace"/>).
/// </summary>
public static class ClassifierFreeGuidance
{
    /// <summary>Whether a scale needs the unconditional pass at all (s = 1 reduces to the conditional logits).</summary>
    public static bool IsActive(float scale) => scale != 1f;

    /// <summary>
    /// destination = uncond + scale * (cond - uncond). Three separately rounded passes (no fused multiply-add),
    /// so the result matches numpy/PyTorch float32 arithmetic bit for bit. destination may alias cond.
    /// </summary>
    public static void Combine(ReadOnlySpan<float> conditional, ReadOnlySpan<float> unconditional, float scale, Span<float> destination)
    {
        if (conditional.Length != unconditional.Length || destination.Length != conditional.Length)
        {
            throw new ArgumentException(
                $"Lengths differ: conditional {conditional.Length}, unconditional {unconditional.Length}, destination {destination.Length}.");
        }

        TensorPrimitives.Subtract(conditional, unconditional, destination);
        TensorPrimitives.Multiply(destination, scale, destination);
        TensorPrimitives.Add(destination, unconditional, destination);
    }

    /// <summary>
    /// destination = max(0, scale * conditional + (1 - scale) * unconditional) * (1 / its sum). Both inputs are
    /// distributions (each sums to 1), so before clipping the mix sums to 1 for any scale, and after it to at least 1:
    /// the reciprocal is always finite. destination may alias conditional.
    /// </summary>
    public static void CombineProbabilities(ReadOnlySpan<double> conditional, ReadOnlySpan<double> unconditional, float scale, Span<double> destination)
    {
        if (conditional.Length != unconditional.Length || destination.Length != conditional.Length)
        {
            throw new ArgumentException(
                $"Lengths differ: conditional {conditional.Length}, unconditional {unconditional.Length}, destination {destination.Length}.");
        }

        TensorPrimitives.Multiply(conditional, (double)scale, destination);
        TensorPrimitives.MultiplyAdd(unconditional, 1 - (double)scale, destination, destination);
        TensorPrimitives.Max(destination, 0d, destination);

        // Times the reciprocal, as the reference does: a vector division cost more than the four passes before it.
        TensorPrimitives.Multiply(destination, 1 / TensorPrimitives.Sum(destination), destination);
    }
}
