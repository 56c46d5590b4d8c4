using System.Runtime.Intrinsics;

namespace EchoPipeline.Engine.Generation.Sampling;

/// <summary>Classifier-free guidance on logits: u + s * (c - u), in float32 like the reference.</summary>
public static class ClassifierFreeGuidance
{
    /// <summary>Whether a scale needs the unconditional pass at all (s = 1 reduces to the conditional logits).</summary>
    public static bool IsActive(float scale) => scale != 1f;

    /// <summary>
    /// destination = uncond + scale * (cond - uncond). Three separately rounded operations (no fused multiply-add),
    /// so the result matches numpy/PyTorch float32 arithmetic bit for bit. destination may alias cond.
    /// </summary>
    public static void Combine(ReadOnlySpan<float> conditional, ReadOnlySpan<float> unconditional, float scale, Span<float> destination)
    {
        if (conditional.Length != unconditional.Length || destination.Length != conditional.Length)
        {
            throw new ArgumentException(
                $"Lengths differ: conditional {conditional.Length}, unconditional {unconditional.Length}, destination {destination.Length}.");
        }

        // One pass of vector operations, each rounded on its own as TensorPrimitives' three passes would round them.
        var j = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var s = Vector256.Create(scale);
            for (; j <= destination.Length - Vector256<float>.Count; j += Vector256<float>.Count)
            {
                var u = Vector256.Create(unconditional.Slice(j, Vector256<float>.Count));
                var difference = Vector256.Create(conditional.Slice(j, Vector256<float>.Count)) - u;
                ((difference * s) + u).CopyTo(destination[j..]);
            }
        }

        for (; j < destination.Length; j++)
        {
            var difference = conditional[j] - unconditional[j];
            var scaled = scale * difference;
            destination[j] = unconditional[j] + scaled;
        }
    }
}
