namespace EchoPipeline.Engine.Generation;

/// <summary>
/// A generation's outputs: tokens of both modalities; for audio targets the mel ([80, 848] in [0, 1]) and waveform at
/// <see cref="SampleRate"/>; for image targets (with an image decoder) the rgb24 256x256 image.
/// </summary>
public sealed record EchoResult(
    long[] AudioTokens,
    long[] ImageTokens,
    float[]? Mel,
    float[]? Waveform,
    int SampleRate,
    byte[]? Image,
    StageTimings Timings,
    GenerationProvenance Provenance);
