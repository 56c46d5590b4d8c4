using System.Text.Json.Serialization;
using EchoPipeline.Media;
using EchoPipeline.Provenance.Watermarking;

namespace EchoPipeline.Functions.Verification;

/// <summary>VerifyAudio's request: <c>blob</c> (<c>container/name</c> or a blob URL of the data account), or <c>container</c> and <c>name</c>.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class VerifyAudioBody
{
    public string? Blob { get; init; }

    public string? Container { get; init; }

    public string? Name { get; init; }
}

/// <summary>
/// VerifyAudio's verdict: the facts `echopipe verify` prints (docs/provenance.md), as JSON. <see cref="Watermark"/> is
/// <c>present</c> or <c>absent</c>; <see cref="Payload"/> is null when absent or unrecoverable (CRC mismatch).
/// </summary>
public sealed record VerifyAudioReply(
    string Blob,
    string Watermark,
    double Statistic,
    double Threshold,
    double FalseAlarmBound,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Payload,
    bool PayloadRecovered,
    IReadOnlyList<double> SymbolStatistics,
    VerifiedSeconds Seconds,
    VerifiedKey Key,
    string Scheme,
    VerifiedAudio Audio,
    IReadOnlyList<MetadataTag> Metadata)
{
    public static VerifyAudioReply From(BlobReference blob, AudioVerification verification)
    {
        ArgumentNullException.ThrowIfNull(blob);
        ArgumentNullException.ThrowIfNull(verification);
        var (audio, detection, key) = (verification.Audio, verification.Detection, verification.Key);
        return new VerifyAudioReply(
            blob.ToString(),
            detection.Present ? "present" : "absent",
            Math.Round(detection.Statistic, 2),
            detection.Threshold,
            detection.FalseAlarmBound,
            detection.Payload?.ToString(),
            detection.Payload is not null,
            [.. detection.SymbolStatistics.Select(z => Math.Round(z, 1))],
            new VerifiedSeconds(
                detection.Seconds.Count,
                [.. detection.Seconds.Where(s => s.Marked).Select(s => s.Second)],
                [.. detection.Seconds.Select(s => Math.Round(s.Statistic, 1))],
                WatermarkScheme.SecondThreshold),
            new VerifiedKey(key.Id, key.IsPublicDefault, detection.KeysTried),
            WatermarkScheme.Name,
            new VerifiedAudio(audio.Demuxer, audio.Codec, audio.SampleRate, audio.Channels, Math.Round(detection.DurationSeconds, 2), WatermarkScheme.SampleRate),
            [.. audio.Tags.Select(t => new MetadataTag(t.Key, t.Value))]);
    }
}

/// <summary>Which seconds (from 0) carry the mark, each second's statistic, and the per-second threshold.</summary>
public sealed record VerifiedSeconds(int Count, IReadOnlyList<int> Marked, IReadOnlyList<double> Statistics, double Threshold);

/// <summary>The key the verdict is about (its id, never the secret) and how many keys were tried.</summary>
public sealed record VerifiedKey(string Id, bool PublicDefault, int KeysTried);

/// <summary>What ffprobe said of the blob's first audio stream, and how much was analysed at the mark's rate.</summary>
public sealed record VerifiedAudio(string Demuxer, string Codec, int SampleRate, int Channels, double AnalysedSeconds, int AnalysedSampleRate);

/// <summary>One container or stream tag (ffprobe's names: a WAV's ISFT is <c>encoder</c>, ICMT <c>comment</c>).</summary>
public sealed record MetadataTag(string Name, string Value);
