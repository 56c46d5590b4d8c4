using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace EchoPipeline.Engine.Bundles;

/// <summary>Compares an ONNX session's declared inputs and outputs with the manifest's tensor specs.</summary>
internal static class SessionSignature
{
    public static List<string> Mismatches(InferenceSession session, ComponentSpec spec)
    {
        var problems = new List<string>();
        Compare("input", spec.Inputs, session.InputMetadata, problems);
        Compare("output", spec.Outputs, session.OutputMetadata, problems);
        var extra = session.InputMetadata.Keys.Except(spec.Inputs.Select(t => t.Name)).ToList();
        if (extra.Count > 0)
        {
            problems.Add($"the model has inputs the manifest does not list: {string.Join(", ", extra)}.");
        }

        return problems;
    }

    private static void Compare(string role, IReadOnlyList<TensorSpec> specs, IReadOnlyDictionary<string, NodeMetadata> metadata, List<string> problems)
    {
        foreach (var expected in specs)
        {
            if (!metadata.TryGetValue(expected.Name, out var actual))
            {
                problems.Add($"{role} '{expected.Name}' is missing; the model's {role}s are {string.Join(", ", metadata.Keys)}.");
                continue;
            }

            if (!actual.IsTensor)
            {
                problems.Add($"{role} '{expected.Name}' is a {actual.OnnxValueType}, expected a tensor.");
                continue;
            }

            var dtype = DtypeName(actual.ElementDataType);
            var shape = Describe(actual);
            if (dtype != expected.Dtype)
            {
                problems.Add($"{role} '{expected.Name}' has element type {dtype}, the manifest says {expected.Dtype}.");
            }

            if (!ShapeMatches(expected.Shape, actual))
            {
                problems.Add($"{role} '{expected.Name}' has shape [{shape}], the manifest says [{string.Join(",", expected.Shape)}].");
            }
        }
    }

    /// <summary>A fixed manifest size must equal the model's; "batch" needs a symbolic (free) model dimension.</summary>
    private static bool ShapeMatches(IReadOnlyList<TensorDimension> expected, NodeMetadata actual)
    {
        if (actual.Dimensions.Length != expected.Count)
        {
            return false;
        }

        for (var i = 0; i < expected.Count; i++)
        {
            var ok = expected[i].IsSymbolic ? actual.Dimensions[i] < 0 : actual.Dimensions[i] == expected[i].Size;
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private static string Describe(NodeMetadata actual) => string.Join(",", actual.Dimensions.Select((d, i) =>
        d >= 0 ? d.ToString(System.Globalization.CultureInfo.InvariantCulture)
        : $"\"{(string.IsNullOrEmpty(actual.SymbolicDimensions[i]) ? "?" : actual.SymbolicDimensions[i])}\""));

    private static string DtypeName(TensorElementType type) => type switch
    {
        TensorElementType.Float => ComponentContracts.Float32,
        TensorElementType.Int64 => ComponentContracts.Int64,
        _ => type.ToString().ToLowerInvariant(),
    };
}
