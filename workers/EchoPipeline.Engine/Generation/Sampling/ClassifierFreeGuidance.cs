using System.Numerics.Tensors;

namespace EchoPipeline.Engine.Generation.Sampling;

/// <summary>Classifier-free guidance on logits: u + s * (c - u), in float32 like the reference.</summary>
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
}
