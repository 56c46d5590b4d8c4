namespace EchoPipeline.Engine.Generation.Continuation;

/// <summary>
/// A continued generation: every window's result (unmarked: the watermark goes onto the stitched waveform once, so the
/// crossfades never mix two marks) and the stitched, marked waveform with its provenance (window 0's, with the mark).
/// </summary>
public sealed record LongEchoResult(IReadOnlyList<EchoResult> Windows, float[] Waveform, int SampleRate, int ContextColumns, GenerationProvenance Provenance);
