namespace EchoPipeline.Engine.Generation.Continuation;

/// <summary>
/// A continued generation: every window's result (unmarked: the watermark goes onto the stitched waveform once, so the
/// crossfades never mix two marks), where each window landed, and the stitched, marked waveform with its provenance
/// (window 0's, with the mark).
/// </summary>
public sealed record LongEchoResult(
    IReadOnlyList<EchoResult> Windows, IReadOnlyList<WindowPlacement> Placements, float[] Waveform, int SampleRate, GenerationProvenance Provenance);

/// <summary>
/// Where a window's audio sits in the soundtrack (its first sample) and how many of its leading token columns repeat
/// the previous window's (0 for a window that starts a shot).
/// </summary>
public readonly record struct WindowPlacement(long StartSample, int ContextColumns);
