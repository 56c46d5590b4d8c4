namespace EchoPipeline.Cli.Evaluation;

/// <summary>The generation settings `eval` compares: every guidance scale with every step count, each run <see cref="Repeats"/> times.</summary>
internal sealed record EvalRuns(IReadOnlyList<float> Guidance, IReadOnlyList<int> Steps, int Repeats = 1)
{
    /// <summary>A usage error to report, or null when the settings can run.</summary>
    public string? Problem =>
        Guidance.Count == 0 ? "--guidance needs at least one scale."
        : Guidance.Any(g => !float.IsFinite(g) || g < 0) ? "--guidance scales must be finite and at least 0."
        : Steps.Any(s => s < 1) ? "--steps must be at least 1."
        : Repeats < 1 ? "--repeats must be at least 1."
        : null;

    /// <summary>(guidance, steps) pairs in the order given; no --steps means the bundle's default alone.</summary>
    public IEnumerable<(float Guidance, int Steps)> Pairs(int defaultSteps)
    {
        IReadOnlyList<int> steps = Steps.Count == 0 ? [defaultSteps] : Steps;
        return Guidance.SelectMany(g => steps.Select(n => (g, n)));
    }
}
