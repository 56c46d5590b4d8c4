namespace EchoPipeline.Jobs;

/// <summary>The output kinds a job can ask for, in canonical order.</summary>
public static class JobOutputs
{
    public const string Wav = "wav";
    public const string ScoredVideo = "scoredVideo";
    public const string Spectrogram = "spectrogram";

    public static IReadOnlyList<string> All { get; } = [Wav, ScoredVideo, Spectrogram];
}
