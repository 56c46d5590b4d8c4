using EchoPipeline.Engine.Generation.Continuation;
using EchoPipeline.Engine.Generation.Unmasking;

namespace EchoPipeline.Engine.Generation;

public sealed partial class EchoGenerator
{
    /// <summary>
    /// K = 8 of 53 columns (about 1.5 s): enough context to carry the sound's character across the seam while most of
    /// each window (45 columns, about 8.4 s) is new. Each window's first K token columns are fixed to the previous
    /// window's last K columns (outpainting), so window i starts (53 - K) columns after window i-1.
    /// </summary>
    public const int DefaultContextColumns = 8;

    /// <summary>Crossfade at each seam, in seconds.</summary>
    public const double CrossfadeSeconds = 0.05;

    /// <summary>
    /// Audio longer than one window: one image-to-audio window per frame, each conditioned on the previous window's last
    /// <paramref name="contextColumns"/> token columns, stitched with a short crossfade, then watermarked as one
    /// waveform (payload: the template's, or derived from window 0's provenance and frame). Window i uses
    /// <paramref name="template"/> with Image = frames[i] and Seed = template.Seed + i.
    /// </summary>
    public async Task<LongEchoResult> GenerateLongAsync(
        IReadOnlyList<byte[]> frames, EchoRequest template, int contextColumns = DefaultContextColumns, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentOutOfRangeException.ThrowIfZero(frames.Count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(contextColumns);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(contextColumns, model.AudioColumns);
        var joinAt = contextColumns * model.SamplesPerAudioColumn;
        var fade = Math.Min(joinAt, (int)Math.Round(CrossfadeSeconds * model.Mel.SampleRate));
        var windows = new List<EchoResult>();
        var waveform = new List<float>();
        for (var i = 0; i < frames.Count; i++)
        {
            var request = template with
            {
                Mode = GenerationMode.ImageToAudio, Image = frames[i], Seed = template.Seed + i, Audio = null, KnownAudioColumns = null,
                KnownAudioTokens = i == 0 ? template.KnownAudioTokens : Context(windows[^1].AudioTokens, contextColumns),
            };
            var result = (await Task.Run(() => Generate([request], markWaveforms: false, cancellationToken), cancellationToken).ConfigureAwait(false))[0];
            windows.Add(result);
            if (i == 0)
            {
                waveform.AddRange(result.Waveform!);
            }
            else
            {
                WaveformCrossfade.Append(waveform, result.Waveform, joinAt, fade);
            }
        }

        // One mark over the whole soundtrack: its period runs on across the seams, so any excerpt verifies.
        var stitched = waveform.ToArray();
        var provenance = windows[0].Provenance;
        var stamp = _watermark.Apply(stitched, template with { Image = frames[0] }, provenance);
        return new LongEchoResult(windows, stitched, model.Mel.SampleRate, contextColumns, provenance with { Watermark = stamp });
    }

    /// <summary>The previous window's last K columns moved to the first K columns; everything else unknown.</summary>
    private long[] Context(long[] previous, int contextColumns)
    {
        var columns = model.AudioColumns;
        var known = Enumerable.Repeat(ModalityTokens.Unknown, previous.Length).ToArray();
        for (var p = 0; p < previous.Length; p++)
        {
            var (row, column) = (p / columns, p % columns);
            if (column < contextColumns)
            {
                known[p] = previous[(row * columns) + columns - contextColumns + column];
            }
        }

        return known;
    }
}
