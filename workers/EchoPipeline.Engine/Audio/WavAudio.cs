namespace EchoPipeline.Engine.Audio;

/// <summary>Mono audio read from a WAV file: samples in [-1, 1], their rate, and the RIFF INFO tags by four-char id.</summary>
public sealed record WavAudio(float[] Samples, int SampleRate, IReadOnlyDictionary<string, string> Info);
