namespace EchoPipeline.Media;

/// <summary>Decoded mono samples and what ffprobe said of their file: demuxer, first audio stream, container and stream tags.</summary>
public sealed record DecodedAudio(
    float[] Samples, string Demuxer, string Codec, int SampleRate, int Channels, double? DurationSeconds, IReadOnlyList<KeyValuePair<string, string>> Tags);
