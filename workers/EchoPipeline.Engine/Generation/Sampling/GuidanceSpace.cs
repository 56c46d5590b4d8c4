using System.Text.Json.Serialization;

namespace EchoPipeline.Engine.Generation.Sampling;

/// <summary>
/// Where classifier-free guidance mixes the conditional and unconditional predictions (bundle.json
/// <c>sampling.guidanceSpace</c>). The paper writes s·p(a|v) + (1-s)·p(a|Mv) over the predicted distributions;
/// MUSE-style implementations extrapolate logits instead. A bundle says which its model was tuned for.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<GuidanceSpace>))]
public enum GuidanceSpace
{
    /// <summary>softmax(u + s(c - u)): sharpens exponentially with s. The default for bundles that do not say.</summary>
    Logits,

    /// <summary>max(0, s·softmax(c) + (1-s)·softmax(u)), renormalized: the paper's equation 2, linear in s.</summary>
    Probabilities,
}
