using EchoPipeline.Engine.Generation;

namespace EchoPipeline.Engine.Bundles;

/// <summary>
/// Which transformer graph runs a batch (docs/models.md "GPU variants"): for the sessions' execution provider, the
/// variant listing that provider and serving every mode in the batch, the one with the fewest outputs first (an
/// image->audio batch prefers the graph without image logits), else the first listed; <c>components.transformer</c>
/// (<see cref="Plain"/>) when none fits.
/// </summary>
public static class TransformerGraphs
{
    /// <summary>The name of <c>components.transformer</c>, the float32 graph every provider runs.</summary>
    public const string Plain = "plain";

    /// <summary>The name ONNX Runtime gives a provider, as bundle.json's <c>executionProviders</c> lists it.</summary>
    public static string ProviderName(BundleExecutionProvider provider) => provider switch
    {
        BundleExecutionProvider.Cpu => "CPUExecutionProvider",
        BundleExecutionProvider.Cuda => "CUDAExecutionProvider",
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, null),
    };

    /// <summary>
    /// The variant for a batch of <paramref name="modes"/> on <paramref name="provider"/>, or null for the plain graph.
    /// <paramref name="forced"/> (a variant's name, or <see cref="Plain"/>) overrides the provider: that variant wherever
    /// it serves the modes, on any provider.
    /// </summary>
    public static TransformerVariant? Pick(IReadOnlyList<TransformerVariant>? variants, BundleExecutionProvider provider, IReadOnlyCollection<GenerationMode> modes, string? forced = null)
    {
        ArgumentNullException.ThrowIfNull(modes);
        var keys = modes.Select(ModeDefaults.Key).ToArray();
        var providerName = ProviderName(provider);
        return (variants ?? [])
            .Where(v => forced is null ? v.ExecutionProviders.Contains(providerName, StringComparer.Ordinal) : v.Name == forced)
            .Where(v => keys.All(k => v.Modes.Contains(k, StringComparer.Ordinal)))
            .OrderBy(v => v.Outputs.Count) // stable: among equals, the first listed
            .FirstOrDefault();
    }

    /// <summary>The graph of each single-mode batch and of a mixed batch, chosen once when the bundle loads.</summary>
    public static TransformerGraphChoice Choose(IReadOnlyList<TransformerVariant>? variants, BundleExecutionProvider provider, string? forced = null)
    {
        var modes = Enum.GetValues<GenerationMode>();
        string NameOf(IReadOnlyCollection<GenerationMode> batch) => Pick(variants, provider, batch, forced)?.Name ?? Plain;
        return new(NameOf(modes), modes.ToDictionary(mode => mode, mode => NameOf([mode])));
    }
}

/// <summary>
/// The transformer graph a batch runs: <see cref="SingleMode"/> for a batch of one mode, <see cref="Mixed"/> (a graph
/// serving every mode) for a batch mixing modes. Values are variant names or <see cref="TransformerGraphs.Plain"/>.
/// </summary>
public sealed record TransformerGraphChoice(string Mixed, IReadOnlyDictionary<GenerationMode, string> SingleMode)
{
    /// <summary>Every graph the choice uses, each once: the ones the bundle loads.</summary>
    public IReadOnlyList<string> Graphs => [.. SingleMode.Values.Append(Mixed).Distinct()];

    public string For(IEnumerable<GenerationMode> modes)
    {
        var distinct = modes.Distinct().Take(2).ToArray();
        return distinct.Length == 1 ? SingleMode[distinct[0]] : Mixed;
    }

    /// <summary>For the log: <c>imageToAudio=cuda-fp16-fused-audio, audioToImage=cuda-fp16-fused, ..., mixed=...</c>.</summary>
    public override string ToString() =>
        string.Join(", ", SingleMode.Select(p => $"{ModeDefaults.Key(p.Key)}={p.Value}").Append($"mixed={Mixed}"));
}
