namespace EchoPipeline.Engine.Generation.Continuation;

/// <summary>A continued generation: every window's result and the stitched waveform.</summary>
public sealed record LongEchoResult(IReadOnlyList<EchoResult> Windows, float[] Waveform, int SampleRate, int ContextColumns);
