namespace EchoPipeline.Cli.Evaluation;

/// <summary>What the evaluation reads off one clip: its centroid band, its pattern and its Fréchet features.</summary>
internal sealed record ClipMeasures(int Band, SoundPattern Pattern, double[] Features)
{
    public static ClipMeasures Of(PowerMel mel) =>
        new(WorldBands.BandOf(SpectralCentroid.Hz(mel)), PatternClassifier.Classify(mel), mel.BandMeans());
}

/// <summary>Accuracies and the Fréchet distance of a set of clips against the labels and the real clips.</summary>
internal static class EvalScores
{
    public static double BandAccuracy(IReadOnlyList<ClipMeasures> clips, IReadOnlyList<WorldSample> samples) =>
        clips.Zip(samples).Average(p => p.First.Band == p.Second.Label ? 1.0 : 0.0);

    public static double PatternAccuracy(IReadOnlyList<ClipMeasures> clips, IReadOnlyList<WorldSample> samples) =>
        clips.Zip(samples).Average(p => p.First.Pattern == p.Second.Pattern ? 1.0 : 0.0);

    public static double FrechetMel(IReadOnlyList<ClipMeasures> clips, IReadOnlyList<ClipMeasures> real) =>
        FrechetDistance.Between([.. clips.Select(c => c.Features)], [.. real.Select(c => c.Features)]);
}
